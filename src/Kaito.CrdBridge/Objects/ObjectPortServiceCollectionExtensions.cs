using Kaito.Api.Catalog;
using Kaito.CrdBridge.Manifests;
using Kaito.Grains.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kaito.CrdBridge.Objects;

public static class ObjectPortServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="KubernetesObjectPort"/> as the grains' <see cref="IKubernetesObjectPort"/>, with the manifest
    /// builder and its <see cref="ManifestOptions"/> bound from <paramref name="section"/>. Needs <c>IKubernetes</c>.
    /// </summary>
    public static IServiceCollection AddKaitoObjectPort(this IServiceCollection services, IConfiguration section)
    {
        services.AddOptions<ManifestOptions>().Configure(o => section.Bind(o)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ManifestOptions>, ManifestOptionsValidator>());
        services.TryAddSingleton(_ => KaitoCatalog.LoadEmbedded());
        services.TryAddSingleton(sp => new WorkspaceManifestBuilder(sp.GetRequiredService<KaitoCatalog>(), sp.GetRequiredService<IOptions<ManifestOptions>>().Value));
        services.TryAddSingleton(_ => new ObjectWritePriority());
        services.TryAddSingleton<IKubernetesObjectPort, KubernetesObjectPort>();
        return services;
    }
}
