using Kaito.Grains.Machines;
using static Kaito.Grains.Tests.Infrastructure.TestEvents;

namespace Kaito.Grains.Tests.Machines;

/// <summary>A stale or repeated event never moves a machine backwards.</summary>
public sealed class MachineApplyGuardTests
{
    private static MachineEvent[] ReadyMachine() =>
    [
        new MachineRequested(Context(), MachineSpec()),
        new MachineCreationStarted(Context(1), "op-1", 1, Context(100).At),
        new MachineNodeRegistered(Context(2), "node-a", Context(200).At),
        new MachineGpuCapacityObserved(Context(3), 1),
        new MachineBecameReady(Context(4)),
    ];

    [Fact]
    public void Late_provisioning_events_do_not_move_a_ready_machine()
    {
        var state = Machine(ReadyMachine());

        state.Apply(new MachineRequested(Context(5), MachineSpec("other/owner")));
        state.Apply(new MachineCreationStarted(Context(5), "op-2", 2, Context(300).At));
        state.Apply(new MachineAttemptFailed(Context(5), 1, "NodeRegistrationTimeout", "late", Context(310).At));
        state.Apply(new MachineNodeRegistered(Context(5), "node-b", Context(300).At));
        state.Apply(new MachineFailed(Context(5), "GpuReadyTimeout", "late", 1));

        Assert.Equal(MachinePhase.Ready, state.Phase);
        Assert.Equal("node-a", state.NodeName);
        Assert.Equal("default/ws", state.Spec!.OwnerWorkspace);
        Assert.Equal(1, state.Attempt);
        Assert.Null(state.LastErrorCode);
        Assert.Null(state.PhaseDeadline);
    }

    [Fact]
    public void Nothing_but_deletion_moves_a_deleting_machine_and_nothing_moves_a_deleted_one()
    {
        var state = Machine([.. ReadyMachine(), new MachineDeletionRequested(Context(5))]);

        state.Apply(new MachineBecameReady(Context(6)));
        state.Apply(new MachineFailed(Context(6), "late", "late", 1));
        Assert.Equal(MachinePhase.Deleting, state.Phase);

        state.Apply(new MachineDeletionStarted(Context(7), "op-del"));
        state.Apply(new MachineDeleted(Context(8)));
        state.Apply(new MachineDeletionRequested(Context(9)));
        state.Apply(new MachineDeletionStarted(Context(9), "op-late"));

        Assert.Equal(MachinePhase.Deleted, state.Phase);
        Assert.Equal("op-del", state.DeletionOperationId);
    }

    [Fact]
    public void A_stale_attempt_failure_does_not_undo_a_newer_attempt()
    {
        var state = Machine(
            new MachineRequested(Context(), MachineSpec()),
            new MachineCreationStarted(Context(1), "op-1", 1, Context(100).At),
            new MachineAttemptFailed(Context(101), 1, "NodeRegistrationTimeout", "slow", Context(110).At),
            new MachineCreationStarted(Context(111), "op-2", 2, Context(300).At));

        state.Apply(new MachineAttemptFailed(Context(112), 1, "NodeRegistrationTimeout", "slow", Context(120).At));
        state.Apply(new MachineCreationStarted(Context(112), "op-1", 1, Context(100).At));

        Assert.Equal(MachinePhase.Creating, state.Phase);
        Assert.Equal(2, state.Attempt);
        Assert.Equal("op-2", state.OperationId);
    }
}
