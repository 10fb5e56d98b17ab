using Kaito.CrdBridge.Status;
using Kaito.CrdBridge.Watching;
using Kaito.Grains.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kaito.CrdBridge.Hosting;

public static class CrdBridgeServiceCollectionExtensions
{
    /// <summary>
    /// Adds the watchers (Workspaces; Deployments, StatefulSets, Jobs, Pods, nodes, NodeClaims and Machines labelled
    /// <c>kaito.sh/workspace</c>) run by the hosted <see cref="BridgeService"/>, the <see cref="GrainWatchSink"/> as
    /// <see cref="IWatchSink"/> (needs Orleans' <c>IGrainFactory</c>) and the <see cref="KubernetesStatusPublisher"/>
    /// as <see cref="IWorkspaceStatusPublisher"/>. The host registers <c>k8s.IKubernetes</c> (a <c>k8s.Kubernetes</c>).
    /// A sink or publisher registered before this call is kept.
    /// </summary>
    public static IServiceCollection AddKaitoCrdBridge(this IServiceCollection services, Action<CrdBridgeOptions>? configure = null)
    {
        services.AddOptions<CrdBridgeOptions>().Configure(o => configure?.Invoke(o)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CrdBridgeOptions>, CrdBridgeOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ResourceWatcherFactory>();
        services.TryAddSingleton<WorkspaceUidIndex>();
        services.TryAddSingleton<WorkspaceOwnerResolver>();
        services.TryAddSingleton<PokeDispatcher>();
        services.TryAddSingleton<WorkloadCache>();
        services.TryAddSingleton<WorkspaceObjectCache>();
        services.TryAddSingleton<IWatchSink, GrainWatchSink>();
        services.TryAddSingleton<WorkspaceWatcher>();
        services.TryAddSingleton<IWorkspaceStatusPublisher, KubernetesStatusPublisher>();

        AddWatcher(services, WatchedResource.Deployments, Workload);
        AddWatcher(services, WatchedResource.StatefulSets, Workload);
        AddWatcher(services, WatchedResource.Jobs, Workload);
        AddWatcher(services, WatchedResource.Pods, Workload);
        AddWatcher(services, _ => WatchedResource.Nodes(), Nodes);
        AddWatcher(services, _ => WatchedResource.ClaimedNodes(), Nodes);
        AddWatcher(services, _ => WatchedResource.NodeClaims(), NodeClaims);
        AddWatcher(services, _ => WatchedResource.Machines(), NodeClaims);
        services.AddHostedService<BridgeService>();
        return services;
    }

    private static void AddWatcher(IServiceCollection services, Func<string?, WatchedResource> resource,
        Func<IServiceProvider, ResourceWatcher, IBridgeWatcher> create) =>
        services.AddSingleton(sp => create(sp, sp.GetRequiredService<ResourceWatcherFactory>()
            .Create(resource(sp.GetRequiredService<IOptions<CrdBridgeOptions>>().Value.Namespace))));

    private static WorkloadWatcher Workload(IServiceProvider services, ResourceWatcher watcher) =>
        new(watcher, services.GetRequiredService<WorkspaceOwnerResolver>(), services.GetRequiredService<PokeDispatcher>(),
            services.GetRequiredService<ILogger<WorkloadWatcher>>(), services.GetRequiredService<WorkloadCache>());

    private static NodeWatcher Nodes(IServiceProvider services, ResourceWatcher watcher) =>
        new(watcher, services.GetRequiredService<WorkspaceOwnerResolver>(), services.GetRequiredService<PokeDispatcher>(),
            services.GetRequiredService<ILogger<NodeWatcher>>());

    private static NodeClaimWatcher NodeClaims(IServiceProvider services, ResourceWatcher watcher) =>
        new(watcher, services.GetRequiredService<WorkspaceOwnerResolver>(), services.GetRequiredService<PokeDispatcher>(),
            services.GetRequiredService<ILogger<NodeClaimWatcher>>());
}
