using Kaito.Grains.EventLog;
using Kaito.Grains.Machines;
using Kaito.Grains.Tests.Infrastructure;

namespace Kaito.Grains.Tests.Machines;

/// <summary>A machine's retry never reuses the node of the attempt that got stuck.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MachineRetryTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly CommandSource Watch = new(Actors.KubernetesWatch, "watch:added");

    private KaitoTestCluster Kaito => fixture.Kaito;

    [Fact]
    public async Task After_a_timeout_the_stuck_node_is_deleted_and_gone_before_the_next_create()
    {
        var machineId = "ws" + Guid.NewGuid().ToString("N")[..9];
        var owner = $"stuck/{machineId}";
        Kaito.Nodes.RegistersAtOnce = spec => spec.OwnerWorkspace != owner;
        Kaito.Nodes.DeletesAtOnce = m => m != machineId;
        var machine = Kaito.Client.GetGrain<IMachineGrain>(machineId);
        await machine.Request(TestEvents.MachineSpec(owner), Watch);
        await Eventually.TrueAsync(() => Kaito.Nodes.CallsFor("create", machineId) == 1, Deadline, "the first create");

        // The node registers but never shows a GPU: the attempt times out, and the cloud deletes it slowly.
        Kaito.Nodes.Nodes[machineId] = new NodeObservation("aks-stuck-0", false, 0);
        await Eventually.TrueAsync(() => Kaito.Nodes.CallsFor("delete", machineId) >= 2, Deadline, "the retry deletes the stuck node and waits");
        Assert.Equal(1, Kaito.Nodes.CallsFor("create", machineId));
        Assert.Equal(MachinePhase.Requested, (await machine.GetState()).Phase);

        Assert.True(Kaito.Nodes.Nodes.TryRemove(machineId, out _));
        await Eventually.TrueAsync(() => Kaito.Nodes.CallsFor("create", machineId) == 2, Deadline, "the next create once the node is gone");
        var calls = Kaito.Nodes.Calls.Where(c => c.EndsWith(machineId, StringComparison.Ordinal)).ToList();
        Assert.True(calls.IndexOf($"delete {machineId}") < calls.LastIndexOf($"create {machineId}"));
        await machine.RequestDeletion(Watch);
    }
}
