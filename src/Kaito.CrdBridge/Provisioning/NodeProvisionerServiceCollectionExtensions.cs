using Kaito.Api.Catalog;
using Kaito.CrdBridge.Provisioning.Aks;
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
        services.AddKaitoNodeProvisioner(options => section.Bind(options), agentPool => section.GetSection("AgentPool").Bind(agentPool));

    /// <summary>Registers the <see cref="INodeProvisioner"/> that <see cref="NodeProvisionerOptions.Kind"/> names. Needs <c>IKubernetes</c>.</summary>
    public static IServiceCollection AddKaitoNodeProvisioner(this IServiceCollection services, Action<NodeProvisionerOptions> configure,
        Action<AgentPoolOptions>? configureAgentPool = null)
    {
        services.AddOptions<NodeProvisionerOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NodeProvisionerOptions>, NodeProvisionerOptionsValidator>());
        services.TryAddSingleton(_ => KaitoCatalog.LoadEmbedded());
        services.TryAddSingleton(sp => sp.GetRequiredService<KaitoCatalog>().Skus);
        services.TryAddSingleton<NodeClaimProvisioner>();
        services.TryAddSingleton<ByoNodeProvisioner>();
        services.AddKaitoAgentPoolProvisioner(configureAgentPool);
        services.AddSingleton<INodeProvisioner>(sp => sp.GetRequiredService<IOptions<NodeProvisionerOptions>>().Value.Kind switch
        {
            NodeProvisionerKind.Byo => sp.GetRequiredService<ByoNodeProvisioner>(),
            NodeProvisionerKind.AgentPool => sp.GetRequiredService<AgentPoolProvisioner>(),
            _ => sp.GetRequiredService<NodeClaimProvisioner>(),
        });
        return services;
    }
}
