using Azure.Core;
using Azure.Core.Pipeline;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kaito.CrdBridge.Provisioning.Aks;

public static class AgentPoolServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="AgentPoolProvisioner"/>, its ARM client and the orphan collection, with options checked
    /// at start when <c>NodeProvisioner:Kind</c> is <c>AgentPool</c>. The credential comes from the options unless a
    /// <see cref="TokenCredential"/> is registered; an <see cref="HttpPipelineTransport"/> registered is used for ARM.
    /// </summary>
    public static IServiceCollection AddKaitoAgentPoolProvisioner(this IServiceCollection services, Action<AgentPoolOptions>? configure)
    {
        services.AddOptions<AgentPoolOptions>().Configure(o => configure?.Invoke(o)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentPoolOptions>, AgentPoolOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => AgentPoolCredentials.Create(Options(sp)));
        services.TryAddSingleton(sp => new AgentPoolArmClient(Options(sp), sp.GetRequiredService<TokenCredential>(), sp.GetService<HttpPipelineTransport>()));
        services.TryAddSingleton(sp => new AgentPoolProvisioner(sp.GetRequiredService<AgentPoolArmClient>(), sp.GetRequiredService<IKubernetes>(),
            Options(sp), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AgentPoolProvisioner>>()));
        services.TryAddSingleton(sp => new AgentPoolGarbageCollector(sp.GetRequiredService<AgentPoolArmClient>(), Options(sp),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AgentPoolGarbageCollector>>()));
        services.AddHostedService<AgentPoolGarbageCollectionService>();
        return services;
    }

    private static AgentPoolOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<AgentPoolOptions>>().Value;
}
