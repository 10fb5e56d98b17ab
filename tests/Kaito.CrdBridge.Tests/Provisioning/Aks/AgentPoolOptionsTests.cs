using k8s;
using Kaito.CrdBridge.Provisioning;
using Kaito.CrdBridge.Provisioning.Aks;
using Kaito.Grains.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kaito.CrdBridge.Tests.Provisioning.Aks;

public sealed class AgentPoolOptionsTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["NodeProvisioner:Kind"] = "agentpool",
        ["NodeProvisioner:AgentPool:SubscriptionId"] = "00000000-0000-0000-0000-000000000001",
        ["NodeProvisioner:AgentPool:ResourceGroup"] = "rg",
        ["NodeProvisioner:AgentPool:ClusterName"] = "aks",
        ["NodeProvisioner:AgentPool:Location"] = "westus2",
    };

    [Fact]
    public void Kind_agentpool_registers_the_agent_pool_provisioner_with_its_settings_from_the_section()
    {
        using var provider = Provider(Valid);

        Assert.IsType<AgentPoolProvisioner>(provider.GetRequiredService<INodeProvisioner>());
        Assert.Equal("aks", provider.GetRequiredService<IOptions<AgentPoolOptions>>().Value.ClusterName);
    }

    [Fact]
    public void Missing_cluster_settings_and_credentials_are_named_at_start()
    {
        using var provider = Provider(new()
        {
            ["NodeProvisioner:Kind"] = "AgentPool",
            ["NodeProvisioner:AgentPool:SubscriptionId"] = "not-a-guid",
            ["NodeProvisioner:AgentPool:Credential"] = "ServicePrincipal",
            ["NodeProvisioner:AgentPool:Endpoint"] = "http://management.azure.com/",
        });

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AgentPoolOptions>>().Value);

        foreach (var expected in new[]
                 {
                     "NodeProvisioner:AgentPool:SubscriptionId must be the cluster's subscription id (a GUID), not \"not-a-guid\"",
                     "NodeProvisioner:AgentPool:ResourceGroup must be set", "NodeProvisioner:AgentPool:ClusterName must be set",
                     "NodeProvisioner:AgentPool:Location must be set", "NodeProvisioner:AgentPool:Endpoint must be an absolute https URL",
                     "NodeProvisioner:AgentPool:ClientSecret must be set when NodeProvisioner:AgentPool:Credential is ServicePrincipal",
                 })
        {
            Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Other_provisioners_do_not_need_the_agent_pool_settings()
    {
        using var provider = Provider(new() { ["NodeProvisioner:Kind"] = "Byo" });

        Assert.Null(provider.GetRequiredService<IOptions<AgentPoolOptions>>().Value.SubscriptionId);
    }

    private static ServiceProvider Provider(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddSingleton<IKubernetes>(new Kubernetes(new KubernetesClientConfiguration { Host = "https://127.0.0.1:1" }))
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddKaitoNodeProvisioner(configuration.GetSection(NodeProvisionerOptions.SectionName))
            .BuildServiceProvider();
    }
}
