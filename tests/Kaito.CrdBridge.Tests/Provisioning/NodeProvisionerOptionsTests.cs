using k8s;
using Kaito.CrdBridge.Provisioning;
using Kaito.Grains.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kaito.CrdBridge.Tests.Provisioning;

public sealed class NodeProvisionerOptionsTests
{
    [Fact]
    public void Defaults_are_valid_and_pick_nodeclaims() =>
        Assert.True(new NodeProvisionerOptionsValidator().Validate(null, new NodeProvisionerOptions()).Succeeded);

    [Fact]
    public void A_missing_node_class_is_rejected_naming_the_setting()
    {
        var result = new NodeProvisionerOptionsValidator().Validate(null, new NodeProvisionerOptions { NodeClassName = "", NodeImageFamily = "windows" });

        Assert.Contains("NodeProvisioner:NodeClassName must be set", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("NodeProvisioner:NodeImageFamily must be ubuntu, azurelinux or empty", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Byo_needs_no_node_class() =>
        Assert.True(new NodeProvisionerOptionsValidator().Validate(null, new NodeProvisionerOptions { Kind = NodeProvisionerKind.Byo, NodeClassName = "" }).Succeeded);

    [Theory]
    [InlineData("Byo", typeof(ByoNodeProvisioner))]
    [InlineData("NodeClaim", typeof(NodeClaimProvisioner))]
    [InlineData("Machine", typeof(NodeClaimProvisioner))]
    public void The_configured_kind_is_the_registered_provisioner(string kind, Type expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["NodeProvisioner:Kind"] = kind }).Build();
        using var kubernetes = new Kubernetes(new KubernetesClientConfiguration { Host = "https://127.0.0.1:1" });
        var services = new ServiceCollection()
            .AddSingleton<IKubernetes>(kubernetes)
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddKaitoNodeProvisioner(configuration.GetSection(NodeProvisionerOptions.SectionName));
        using var provider = services.BuildServiceProvider();

        Assert.IsType(expected, provider.GetRequiredService<INodeProvisioner>());
    }

    [Fact]
    public void An_invalid_setting_fails_when_the_options_are_read()
    {
        using var provider = new ServiceCollection()
            .AddKaitoNodeProvisioner(o => o.NodeClassKind = " ")
            .BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<NodeProvisionerOptions>>().Value);
        Assert.Contains("NodeProvisioner:NodeClassKind", ex.Message, StringComparison.Ordinal);
    }
}
