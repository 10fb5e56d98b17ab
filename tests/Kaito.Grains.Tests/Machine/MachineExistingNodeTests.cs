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
    public async Task The_request_itself_takes_the_node_over_and_records_everything_in_one_append()
    {
        var machineId = "ws" + Guid.NewGuid().ToString("N")[..9];
        var machine = Kaito.Client.GetGrain<IMachineGrain>(machineId);

        await machine.Request(TestEvents.MachineSpec($"byo/{machineId}"), Watch);

        // Ready as the request returns: no pass of its own, no second append.
        Assert.Equal(MachinePhase.Ready, (await machine.GetState()).Phase);
        var history = await Kaito.SiloService<EventLogTable<MachineState, MachineEvent>>().ReadHistoryAsync(machineId);
        Assert.Equal(["machine.requested", Started, "machine.nodeRegistered", "machine.gpuCapacityObserved", Ready], history.Select(e => e.EventType));
        Assert.Single(history.Select(e => e.At).Distinct());
        Assert.Equal(1, Kaito.Nodes.CallsFor("create", machineId));
        await machine.RequestDeletion(Watch);
    }

    [Fact]
    public async Task A_request_whose_hand_over_fails_is_recorded_alone_and_the_machine_tries_again()
    {
        var machineId = "ws" + Guid.NewGuid().ToString("N")[..9];
        var failures = 1;
        Kaito.Nodes.CreateException = name => name == machineId && Interlocked.Decrement(ref failures) >= 0
            ? new HttpRequestException("the API server did not answer")
            : null;
        var machine = Kaito.Client.GetGrain<IMachineGrain>(machineId);

        await machine.Request(TestEvents.MachineSpec($"byo/{machineId}"), Watch);
        await Eventually.ReturnsAsync(machine.GetState, v => v.Phase == MachinePhase.Ready, Deadline, "the machine's own pass hands the node over");

        var history = await Kaito.SiloService<EventLogTable<MachineState, MachineEvent>>().ReadHistoryAsync(machineId);
        Assert.Equal("machine.requested", history[0].EventType);
        Assert.True(history[0].At < history.Single(e => e.EventType == Started).At);
        Assert.Equal(2, Kaito.Nodes.CallsFor("create", machineId));
        await machine.RequestDeletion(Watch);
    }

    [Fact]
    public async Task Deleting_a_machine_that_was_never_recorded_releases_what_a_lost_request_may_have_taken()
    {
        var machineId = "ws" + Guid.NewGuid().ToString("N")[..9];
        var machine = Kaito.Client.GetGrain<IMachineGrain>(machineId);

        await machine.RequestDeletion(Watch);

        Assert.Equal(MachinePhase.Deleted, (await machine.GetState()).Phase);
        Assert.Equal(1, Kaito.Nodes.CallsFor("delete", machineId));
    }

    [Fact]
    public async Task A_ready_machine_poked_by_a_node_event_that_carried_its_node_does_not_read_it_again()
    {
        var machineId = "ws" + Guid.NewGuid().ToString("N")[..9];
        var machine = Kaito.Client.GetGrain<IMachineGrain>(machineId);
        await machine.Request(TestEvents.MachineSpec($"byo/{machineId}"), Watch);
        var reads = Kaito.Nodes.CallsFor("get", machineId);

        // 20 pokes that carried the node: no read for any (the slow re-observe timer, 1 s here, may read once or twice).
        for (var i = 0; i < 20; i++)
        {
            await machine.Reconcile(new CommandSource(Actors.KubernetesWatch, NodeWatchCauses.Modified));
        }

        Assert.InRange(Kaito.Nodes.CallsFor("get", machineId) - reads, 0, 3);

        // Any other cause looks: a node gone behind the watch's back is noticed.
        Assert.True(Kaito.Nodes.Nodes.TryRemove(machineId, out _));
        await machine.Reconcile(new CommandSource(Actors.KubernetesWatch, NodeWatchCauses.Deleted));
        Assert.NotEqual(MachinePhase.Ready, (await machine.GetState()).Phase);
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
