using Kaito.CrdBridge.Objects;
using Kaito.CrdBridge.Watching;
using Kaito.Grains.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kaito.CrdBridge.Events;

public static class EventRecorderServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="KubernetesEventRecorder"/> as the grains' <see cref="IWorkspaceEventRecorder"/> (replacing a
    /// recorder registered before, such as the grains' default that writes nothing) and runs its write loop as a hosted
    /// service. Needs <c>IKubernetes</c>; uses the bridge's <see cref="WorkspaceUidIndex"/> for resourceVersions, and
    /// writes behind the object port's applies (<see cref="ObjectWritePriority"/>).
    /// </summary>
    public static IServiceCollection AddKaitoEventRecorder(this IServiceCollection services)
    {
        services.TryAddSingleton<WorkspaceUidIndex>();
        services.TryAddSingleton(sp => new KubernetesEventWriter(sp.GetRequiredService<k8s.IKubernetes>(), sp.GetRequiredService<WorkspaceUidIndex>()));
        services.TryAddSingleton(_ => new ObjectWritePriority());
        services.TryAddSingleton<KubernetesEventRecorder>();
        services.Replace(ServiceDescriptor.Singleton<IWorkspaceEventRecorder>(sp => sp.GetRequiredService<KubernetesEventRecorder>()));
        services.AddHostedService(sp => sp.GetRequiredService<KubernetesEventRecorder>());
        return services;
    }
}
