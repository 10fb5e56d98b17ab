using Kaito.Api.Catalog;
using Kaito.Grains.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kaito.CrdBridge.Provisioning;

public static class NodeProvisionerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="INodeProvisioner"/> that <see cref="NodeProvisionerOptions.Kind"/> names, bound from
    /// <paramref name="section"/> (the <c>NodeProvisioner</c> section) and validated at start. Needs <c>IKubernetes</c>.
    /// </summary>
    public static IServiceCollection AddKaitoNodeProvisioner(this IServiceCollection services, IConfiguration section) =>
        services.AddKaitoNodeProvisioner(options => section.Bind(options));

    /// <summary>Registers the <see cref="INodeProvisioner"/> that <see cref="NodeProvisionerOptions.Kind"/> names. Needs <c>IKubernetes</c>.</summary>
    public static IServiceCollection AddKaitoNodeProvisioner(this IServiceCollection services, Action<NodeProvisionerOptions> configure)
    {
        services.AddOptions<NodeProvisionerOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NodeProvisionerOptions>, NodeProvisionerOptionsValidator>());
        services.TryAddSingleton(_ => KaitoCatalog.LoadEmbedded());
        services.TryAddSingleton(sp => sp.GetRequiredService<KaitoCatalog>().Skus);
        services.TryAddSingleton<NodeClaimProvisioner>();
        services.TryAddSingleton<ByoNodeProvisioner>();
        services.AddSingleton<INodeProvisioner>(sp =>
            sp.GetRequiredService<IOptions<NodeProvisionerOptions>>().Value.Kind == NodeProvisionerKind.Byo
                ? sp.GetRequiredService<ByoNodeProvisioner>()
                : sp.GetRequiredService<NodeClaimProvisioner>());
        return services;
    }
}
