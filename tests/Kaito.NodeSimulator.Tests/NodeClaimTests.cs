using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kaito.NodeSimulator.Claims;

namespace Kaito.NodeSimulator.Tests;

[Collection(SimulatedClusterCollection.Name)]
public sealed class NodeClaimTests(SimulatedClusterFixture cluster)
{
    private readonly IKubernetes _client = cluster.Client;

    [Fact]
    public async Task NodeClaimBecomesAReadyNodeWithTheSkusGpusAndTheClaimReportsReady()
    {
        var name = ClaimDriver.NewName();
        await cluster.Claims.CreateAsync(name, "Standard_NC12s_v3", labels: new Dictionary<string, string> { ["kaito.sh/workspace"] = "ws-a" });

        var node = await Eventually.Get(() => ReadNodeAsync(name), n => IsReady(n), $"node {name} Ready");
        Assert.Equal("2", node!.Status.Capacity["nvidia.com/gpu"].ToString());
        Assert.Equal("2", node.Status.Allocatable["nvidia.com/gpu"].ToString());
        Assert.Equal("Standard_NC12s_v3", node.Metadata.Labels["node.kubernetes.io/instance-type"]);
        Assert.Equal("Standard_NC12s_v3", node.Metadata.Labels["beta.kubernetes.io/instance-type"]);
        Assert.Equal("nvidia", node.Metadata.Labels["accelerator"]);
        Assert.Equal("ws-a", node.Metadata.Labels["kaito.sh/workspace"]);
        Assert.Equal("gpu", node.Metadata.Labels["kaito.sh/machine-type"]);
        Assert.Equal(name, node.Metadata.Labels["kubernetes.io/hostname"]);
        Assert.Equal("true", node.Metadata.Labels[SimulatorLabels.Simulated]);
        var taint = Assert.Single(node.Spec.Taints);
        Assert.Equal(("sku", "gpu", "NoSchedule"), (taint.Key, taint.Value, taint.Effect));
        Assert.StartsWith("192.0.2.", node.Status.Addresses.Single(a => a.Type == "InternalIP").Address, StringComparison.Ordinal);

        var claim = await Eventually.Get(() => cluster.Claims.ReadAsync(name), c => c?.Condition("Ready")?.Status == "True", $"NodeClaim {name} Ready");
        Assert.Equal(name, claim!.Status!.NodeName);
        Assert.Equal(node.Spec.ProviderID, claim.Status.ProviderId);
        foreach (var type in new[] { "Launched", "Registered", "Initialized", "Ready" })
        {
            var condition = claim.Condition(type);
            Assert.Equal("True", condition?.Status);
            Assert.False(string.IsNullOrEmpty(condition!.LastTransitionTime));
        }

        Assert.Contains(ClaimReconciler.TerminationFinalizer, claim.Metadata.Finalizers);
    }

    [Fact]
    public async Task InstanceTypeOverQuotaFailsTheLaunchWithTheQuotaMessageAndRegistersNoNode()
    {
        var name = ClaimDriver.NewName();
        await cluster.Claims.CreateAsync(name, SimulatedClusterFixture.QuotaInstanceType);

        var claim = await Eventually.Get(() => cluster.Claims.ReadAsync(name), c => c?.Condition("Launched") is not null, $"NodeClaim {name} Launched reported");
        var launched = claim!.Condition("Launched")!;
        Assert.Equal("False", launched.Status);
        Assert.Equal("QuotaExceeded", launched.Reason);
        Assert.Equal(
            "Operation could not be completed as it results in exceeding approved standardNCADSA100v4Family Cores quota",
            launched.Message);
        Assert.Null(claim.Status!.NodeName);
        Assert.Null(await ReadNodeAsync(name));
    }

    [Fact]
    public async Task FailAnnotationFailsTheLaunchWithItsReasonAndMessage()
    {
        var name = ClaimDriver.NewName();
        await cluster.Claims.CreateAsync(
            name,
            "Standard_NC24ads_A100_v4",
            annotations: new Dictionary<string, string> { [SimulatorAnnotations.Fail] = "ZonalAllocationFailed: We do not have sufficient capacity" });

        var claim = await Eventually.Get(() => cluster.Claims.ReadAsync(name), c => c?.Condition("Launched") is not null, $"NodeClaim {name} Launched reported");
        var launched = claim!.Condition("Launched")!;
        Assert.Equal(("False", "ZonalAllocationFailed", "We do not have sufficient capacity"), (launched.Status, launched.Reason, launched.Message));
        Assert.Null(await ReadNodeAsync(name));
    }

    [Fact]
    public async Task DeletingTheNodeClaimDeletesItsNodeAndThenTheClaim()
    {
        var name = ClaimDriver.NewName();
        await cluster.Claims.CreateAsync(name, "Standard_NC6s_v3");
        await Eventually.Get(() => ReadNodeAsync(name), IsReady, $"node {name} Ready");
        await Eventually.Get(() => cluster.Claims.ReadAsync(name), c => c?.Condition("Ready")?.Status == "True", $"NodeClaim {name} Ready");

        await cluster.Claims.DeleteAsync(name);

        await Eventually.Get(() => ReadNodeAsync(name), n => n is null, $"node {name} deleted");
        await Eventually.Get(() => cluster.Claims.ReadAsync(name), c => c is null, $"NodeClaim {name} gone (finalizer removed)");
    }

    [Fact]
    public async Task DeletedNodeOfALaunchedClaimStaysGone()
    {
        var name = ClaimDriver.NewName();
        await cluster.Claims.CreateAsync(name, "Standard_NC6s_v3");
        await Eventually.Get(() => cluster.Claims.ReadAsync(name), c => c?.Condition("Ready")?.Status == "True", $"NodeClaim {name} Ready");

        await cluster.DeleteAsync("", "v1", "nodes", name);
        await Eventually.Get(() => ReadNodeAsync(name), n => n is null, $"node {name} deleted");

        // A lost node is observed, not replaced: touching the claim (a new event) does not bring the node back.
        await _client.CustomObjects.PatchClusterCustomObjectAsync(
            new V1Patch("""{"metadata":{"labels":{"touched":"yes"}}}""", V1Patch.PatchType.MergePatch), "karpenter.sh", "v1", "nodeclaims", name);
        var claim = await Eventually.Get(() => cluster.Claims.ReadAsync(name), c => c?.Metadata.Labels?.ContainsKey("touched") == true, "label seen");
        Assert.Equal(name, claim!.Status!.NodeName);
        Assert.Null(await ReadNodeAsync(name));
    }

    [Fact]
    public async Task MachineOfTheSeedEraApiBecomesAReadyNodeToo()
    {
        var name = ClaimDriver.NewName();
        await cluster.Claims.CreateAsync(name, "Standard_NC24ads_A100_v4", kind: ClaimKind.Machine);

        var node = await Eventually.Get(() => ReadNodeAsync(name), IsReady, $"node {name} Ready");
        Assert.Equal("1", node!.Status.Capacity["nvidia.com/gpu"].ToString());
        await Eventually.Get(() => cluster.Claims.ReadAsync(name, ClaimKind.Machine), c => c?.Condition("Ready")?.Status == "True", $"Machine {name} Ready");
    }

    [Fact]
    public async Task ByoNodeIsRegisteredReadyWithItsGpusAndLabelsWithoutAClaim()
    {
        var name = "byo-" + Guid.NewGuid().ToString("N")[..6];
        try
        {
            await cluster.Simulator.RegisterNodeAsync(name, "Standard_NC24s_v3", new Dictionary<string, string> { ["pool"] = "byo" });

            var node = await Eventually.Get(() => ReadNodeAsync(name), IsReady, $"node {name} Ready");
            Assert.Equal("4", node!.Status.Allocatable["nvidia.com/gpu"].ToString());
            Assert.Equal("byo", node.Metadata.Labels["pool"]);
            Assert.Empty(node.Spec.Taints ?? []);
            Assert.Null(node.Metadata.OwnerReferences);
        }
        finally
        {
            await cluster.DeleteAsync("", "v1", "nodes", name);
        }
    }

    internal static bool IsReady(V1Node? node) =>
        node?.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private async Task<V1Node?> ReadNodeAsync(string name)
    {
        try
        {
            return await _client.CoreV1.ReadNodeAsync(name);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
