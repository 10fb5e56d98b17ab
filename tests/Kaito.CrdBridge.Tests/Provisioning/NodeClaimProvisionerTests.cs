using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kaito.CrdBridge.Provisioning;
using Kaito.Grains.Ports;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kaito.CrdBridge.Tests.Provisioning;

/// <summary>NodeClaims on a real API server with the Karpenter CRDs installed; the test plays Karpenter and the kubelet.</summary>
[Collection(KubeCollection.Name)]
public sealed class NodeClaimProvisionerTests(KubeApiServerFixture kube) : IAsyncLifetime
{
    private readonly string _prefix = "ws" + Guid.NewGuid().ToString("N")[..7];
    private readonly List<string> _nodes = [];

    private IKubernetes Client => kube.Client;

    public Task InitializeAsync() => KarpenterCrds.InstallAsync(Client);

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await TestNodes.DeleteAsync(Client, node);
        }
    }

    [Fact]
    public async Task Create_stores_the_nodeclaim_as_built_and_creating_again_returns_the_same_operation()
    {
        var name = _prefix + "a";
        var provisioner = Provisioner();

        var first = await provisioner.CreateNodeAsync(name, TestSpecs.Machine());
        var second = await provisioner.CreateNodeAsync(name, TestSpecs.Machine());

        Assert.Equal("nodeclaim/" + name, first);
        Assert.Equal(first, second);
        var stored = await Read(KarpenterResource.NodeClaim, name);
        var built = KarpenterManifests.NodeClaim(name, TestSpecs.Machine(), new NodeProvisionerOptions());
        Assert.True(JsonNode.DeepEquals(built["spec"], stored["spec"]), stored["spec"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(built["metadata"]!["labels"], stored["metadata"]!["labels"]));
        Assert.Equal("true", stored["metadata"]!["annotations"]!["karpenter.sh/do-not-disrupt"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_legacy_machine_kind_creates_v1alpha5_machines()
    {
        var name = _prefix + "m";
        var provisioner = Provisioner(NodeProvisionerKind.Machine);

        Assert.Equal("machine/" + name, await provisioner.CreateNodeAsync(name, TestSpecs.Machine()));

        var stored = await Read(KarpenterResource.Machine, name);
        Assert.Equal("karpenter.sh/v1alpha5", stored["apiVersion"]!.GetValue<string>());
        Assert.Equal(name, stored["spec"]!["machineTemplateRef"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_is_null_until_the_nodeclaim_names_its_node()
    {
        var name = _prefix + "b";
        var provisioner = Provisioner();
        await provisioner.CreateNodeAsync(name, TestSpecs.Machine());

        Assert.Null(await provisioner.GetNodeAsync(name));
    }

    [Fact]
    public async Task The_node_is_found_through_status_nodeName_with_its_gpu_capacity_and_gets_the_nvidia_label()
    {
        var name = _prefix + "c";
        var nodeName = "aks-" + name + "-vmss000000";
        var provisioner = Provisioner();
        await provisioner.CreateNodeAsync(name, TestSpecs.Machine());
        await Node(nodeName, gpus: 1);
        await PatchStatus(KarpenterResource.NodeClaim, name, new JsonObject { ["nodeName"] = nodeName });

        var node = await provisioner.GetNodeAsync(name);

        Assert.Equal((nodeName, true, 1), (node!.NodeName, node.Ready, node.GpuCapacity));
        var labels = (await Client.CoreV1.ReadNodeAsync(nodeName)).Metadata.Labels;
        Assert.Equal("nvidia", labels["accelerator"]);
    }

    [Theory]
    [InlineData("LaunchFailed", "creating agent pool: QuotaExceeded: Operation could not be completed as it results in exceeding approved standardNCSv3Family Cores quota", false)]
    [InlineData("LaunchFailed", NodeClaimProvisioner.InstanceTypesUnavailable, true)]
    public async Task A_failed_launch_surfaces_its_reason_and_message(string reason, string message, bool permanent)
    {
        var name = _prefix + (permanent ? "p" : "d");
        var provisioner = Provisioner();
        await provisioner.CreateNodeAsync(name, TestSpecs.Machine());
        await PatchStatus(KarpenterResource.NodeClaim, name, new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("Launched", "False", reason, message),
                Condition("Ready", "False", "NotLaunched", "Node not launched")),
        });

        var ex = await Assert.ThrowsAsync<NodeProvisioningException>(() => provisioner.GetNodeAsync(name));

        Assert.Equal(reason, ex.Code);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Equal(permanent, ex.Permanent);
    }

    [Fact]
    public async Task A_launch_still_awaiting_reconciliation_is_not_a_failure()
    {
        var name = _prefix + "w";
        var provisioner = Provisioner();
        await provisioner.CreateNodeAsync(name, TestSpecs.Machine());
        await PatchStatus(KarpenterResource.NodeClaim, name, new JsonObject
        {
            ["conditions"] = new JsonArray(Condition("Launched", "False", "AwaitingReconciliation", "object is awaiting reconciliation")),
        });

        Assert.Null(await provisioner.GetNodeAsync(name));
    }

    [Fact]
    public async Task Retrying_after_a_failed_launch_clears_the_old_nodeclaim_so_the_next_attempt_starts_afresh()
    {
        var name = _prefix + "r";
        var provisioner = Provisioner();
        await provisioner.CreateNodeAsync(name, TestSpecs.Machine());
        await PatchStatus(KarpenterResource.NodeClaim, name, new JsonObject
        {
            ["conditions"] = new JsonArray(Condition("Launched", "False", "LaunchFailed", "ZonalAllocationFailed")),
        });

        var ex = await Assert.ThrowsAsync<NodeProvisioningException>(() => provisioner.CreateNodeAsync(name, TestSpecs.Machine()));
        Assert.Equal("LaunchFailed", ex.Code);
        Assert.Null(await provisioner.GetNodeAsync(name));

        Assert.Equal("nodeclaim/" + name, await provisioner.CreateNodeAsync(name, TestSpecs.Machine()));
        Assert.Null((await Read(KarpenterResource.NodeClaim, name))["status"]);
    }

    [Fact]
    public async Task Creating_again_while_the_last_attempts_nodeclaim_is_terminating_is_a_retried_failure_not_a_reuse()
    {
        var name = _prefix + "t";
        var provisioner = Provisioner();
        await provisioner.CreateNodeAsync(name, TestSpecs.Machine());
        await Client.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch("""{"metadata":{"finalizers":["test.kaito.sh/hold"]}}""", V1Patch.PatchType.MergePatch),
            KarpenterResource.NodeClaim.Group, KarpenterResource.NodeClaim.Version, KarpenterResource.NodeClaim.Plural, name);
        await provisioner.DeleteNodeAsync(name);
        try
        {
            var ex = await Assert.ThrowsAsync<NodeProvisioningException>(() => provisioner.CreateNodeAsync(name, TestSpecs.Machine()));

            Assert.Equal("NodeClaimTerminating", ex.Code);
            Assert.False(ex.Permanent);
        }
        finally
        {
            await Client.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch),
                KarpenterResource.NodeClaim.Group, KarpenterResource.NodeClaim.Version, KarpenterResource.NodeClaim.Plural, name);
        }
    }

    [Fact]
    public async Task Deleting_removes_the_nodeclaim_and_then_get_is_null_also_when_deleted_again()
    {
        var name = _prefix + "e";
        var nodeName = name + "-node";
        var provisioner = Provisioner();
        await provisioner.CreateNodeAsync(name, TestSpecs.Machine());
        await Node(nodeName, gpus: 1);
        await PatchStatus(KarpenterResource.NodeClaim, name, new JsonObject { ["nodeName"] = nodeName });
        Assert.NotNull(await provisioner.GetNodeAsync(name));

        Assert.Equal("nodeclaim/" + name, await provisioner.DeleteNodeAsync(name));
        Assert.Equal("nodeclaim/" + name, await provisioner.DeleteNodeAsync(name));

        Assert.Null(await provisioner.GetNodeAsync(name));
    }

    private NodeClaimProvisioner Provisioner(NodeProvisionerKind kind = NodeProvisionerKind.NodeClaim) =>
        new(Client, Options.Create(new NodeProvisionerOptions { Kind = kind }), NullLogger<NodeClaimProvisioner>.Instance);

    private async Task Node(string name, int gpus)
    {
        _nodes.Add(name);
        await TestNodes.CreateAsync(Client, name, new Dictionary<string, string> { ["node.kubernetes.io/instance-type"] = "Standard_NC6s_v3" }, gpus);
    }

    private async Task<JsonObject> Read(KarpenterResource resource, string name)
    {
        var obj = await Client.CustomObjects.GetClusterCustomObjectAsync(resource.Group, resource.Version, resource.Plural, name);
        return JsonNode.Parse(JsonSerializer.Serialize(obj))!.AsObject();
    }

    private Task PatchStatus(KarpenterResource resource, string name, JsonObject status) =>
        Client.CustomObjects.PatchClusterCustomObjectStatusAsync(
            new V1Patch(new JsonObject { ["status"] = status }.ToJsonString(), V1Patch.PatchType.MergePatch),
            resource.Group, resource.Version, resource.Plural, name);

    private static JsonObject Condition(string type, string status, string reason, string message) => new()
    {
        ["type"] = type, ["status"] = status, ["reason"] = reason, ["message"] = message, ["lastTransitionTime"] = "2026-11-28T10:00:00Z",
    };
}
