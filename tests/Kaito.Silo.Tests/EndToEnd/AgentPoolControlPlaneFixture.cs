using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Kaito.Testing.Arm;
using Microsoft.Extensions.DependencyInjection;

namespace Kaito.Silo.Tests.EndToEnd;

/// <summary>
/// The control plane with the agent-pool provisioner (<c>--provisioner agentpool</c>) against a loopback imitation of
/// Azure Resource Manager, on a cluster without Karpenter: when the imitation finishes a pool, the node simulator
/// registers its node (labelled <c>agentpool=&lt;pool&gt;</c> as AKS does); when a pool goes, so does its node.
/// </summary>
public sealed class AgentPoolControlPlaneFixture : ControlPlaneFixture
{
    /// <summary>Its create operation fails with this code and <see cref="ControlPlaneFixture.QuotaMessage"/>.</summary>
    public const string QuotaCode = "QuotaExceeded";

    /// <summary>An instance type whose family has too little quota left for one node: caught before any pool is created.</summary>
    public const string QuotaShortInstanceType = "Standard_NC24ads_A100_v4";

    /// <summary>Its pools succeed but no node ever joins from them.</summary>
    public const string NodelessInstanceType = "Standard_NC4as_T4_v3";

    /// <summary>How long a machine waits for its node here; every other node joins within a second of its pool.</summary>
    public static readonly TimeSpan NodeRegistrationTimeout = TimeSpan.FromSeconds(25);

    public ArmImitation Arm { get; } = new();

    protected override string Provisioner => "agentpool";

    protected override IEnumerable<string> ExtraRunArgs =>
    [
        "--set", $"NodeProvisioner:AgentPool:SubscriptionId={Arm.SubscriptionId}",
        "--set", $"NodeProvisioner:AgentPool:ResourceGroup={Arm.ResourceGroup}",
        "--set", $"NodeProvisioner:AgentPool:ClusterName={Arm.ClusterName}",
        "--set", $"NodeProvisioner:AgentPool:Location={Arm.Location}",
        "--set", $"NodeProvisioner:AgentPool:Endpoint={Arm.Endpoint}",
        "--set", "NodeProvisioner:AgentPool:RetryDelay=00:00:00.050",
        "--set", "NodeProvisioner:AgentPool:DefaultPollInterval=00:00:00.200",
        "--set", "NodeProvisioner:AgentPool:OrphanCollectionInterval=00:00:01",
        "--set", "NodeProvisioner:AgentPool:OrphanGracePeriod=00:00:05",
        "--set", $"Machines:NodeRegistrationTimeout={NodeRegistrationTimeout}",
    ];

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<TokenCredential>(new StaticTokenCredential());
        services.AddSingleton<HttpPipelineTransport>(ArmImitation.Transport());
    }

    protected override Task PrepareClusterAsync()
    {
        Arm.FailingVmSizes[QuotaInstanceType] = (QuotaCode, QuotaMessage);
        Arm.Usages["standardNCADSA100v4Family"] = (90, 96);
        Arm.PoolSucceeded = RegisterNodeAsync;
        Arm.PoolDeleted = async pool =>
        {
            if (Simulator is { } simulator)
            {
                await simulator.DeleteNodeAsync(NodeName(pool));
            }
        };
        return Task.CompletedTask;
    }

    /// <summary>The name AKS gives the one node of a pool.</summary>
    public static string NodeName(string pool) => $"aks-{pool}-12345678-vmss000000";

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Arm.DisposeAsync();
    }

    private async Task RegisterNodeAsync(JsonObject pool)
    {
        if (Simulator is not { } simulator || pool["properties"]!["vmSize"]!.GetValue<string>() == NodelessInstanceType)
        {
            return;
        }

        var name = pool["name"]!.GetValue<string>();
        var properties = pool["properties"]!;
        var labels = properties["nodeLabels"]!.AsObject().ToDictionary(l => l.Key, l => l.Value!.GetValue<string>());
        labels["agentpool"] = name;
        labels["kubernetes.azure.com/agentpool"] = name;
        var taints = properties["nodeTaints"]?.AsArray().Select(t => t!.GetValue<string>()) ?? [];
        await simulator.RegisterPoolNodeAsync(NodeName(name), properties["vmSize"]!.GetValue<string>(), labels, [.. taints]);
    }
}
