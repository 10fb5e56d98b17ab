using Kaito.Grains.EventLog;
using Kaito.Grains.Machines;
using Kaito.Grains.Tests.Infrastructure;

namespace Kaito.Grains.Tests.Machines;

/// <summary>A provisioner that hands over an existing node (bring your own): one pass, one append, Ready.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MachineExistingNodeTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly CommandSource Watch = new(Actors.KubernetesWatch, "watch:added");

    private const string Started = "machine.creationStarted";
    private const string Ready = "machine.ready";

    private KaitoTestCluster Kaito => fixture.Kaito;

    [Fact]
    public async Task A_node_that_is_there_when_the_create_returns_is_recorded_with_the_creation_in_one_decision()
    {
        var machineId = "ws" + Guid.NewGuid().ToString("N")[..9];
        var machine = Kaito.Client.GetGrain<IMachineGrain>(machineId);

        await machine.Request(TestEvents.MachineSpec($"byo/{machineId}"), Watch);
        await Eventually.ReturnsAsync(machine.GetState, v => v.Phase == MachinePhase.Ready, Deadline, "the machine is Ready");

        var history = await Kaito.SiloService<EventLogTable<MachineState, MachineEvent>>().ReadHistoryAsync(machineId);
        var started = Assert.Single(history, e => e.EventType == Started);
        var ready = Assert.Single(history, e => e.EventType == Ready);
        Assert.Equal(started.Version + 3, ready.Version);
        Assert.Equal(started.At, ready.At);
        Assert.Equal(1, Kaito.Nodes.CallsFor("create", machineId));
        await machine.RequestDeletion(Watch);
    }

    [Fact]
    public async Task A_node_that_is_not_there_yet_is_waited_for_as_before()
    {
        var machineId = "ws" + Guid.NewGuid().ToString("N")[..9];
        var owner = $"later/{machineId}";
        Kaito.Nodes.RegistersAtOnce = spec => spec.OwnerWorkspace != owner;
        var machine = Kaito.Client.GetGrain<IMachineGrain>(machineId);

        await machine.Request(TestEvents.MachineSpec(owner), Watch);
        await Eventually.ReturnsAsync(machine.GetState, v => v.Phase == MachinePhase.Creating, Deadline, "the machine waits for its node");
        Kaito.Nodes.Nodes[machineId] = new NodeObservation("aks-later-0", true, 1);
        await Eventually.ReturnsAsync(machine.GetState, v => v.Phase == MachinePhase.Ready, Deadline, "the machine is Ready once the node shows");

        var history = await Kaito.SiloService<EventLogTable<MachineState, MachineEvent>>().ReadHistoryAsync(machineId);
        Assert.True(history.Single(e => e.EventType == Started).At < history.Single(e => e.EventType == Ready).At);
        await machine.RequestDeletion(Watch);
    }
}
