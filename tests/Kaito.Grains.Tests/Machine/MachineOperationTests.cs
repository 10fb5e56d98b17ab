using Kaito.Grains.Hosting;
using Kaito.Grains.Machines;
using Kaito.Grains.Ports;
using static Kaito.Grains.Tests.Infrastructure.TestEvents;

namespace Kaito.Grains.Tests.Machines;

/// <summary>Cloud operation states recorded on a machine: what a restarted silo reads back before it polls again.</summary>
public sealed class MachineOperationTests
{
    [Fact]
    public void The_create_operation_id_and_its_states_are_kept_so_that_a_restart_polls_the_same_operation()
    {
        var state = Machine(
            new MachineRequested(Context(), MachineSpec()),
            new MachineCreationStarted(Context(), "create:async:https://arm/op-1", 1, T0.AddSeconds(240)),
            new MachineOperationProgressed(Context(1), "create:async:https://arm/op-1", NodeOperationState.InProgress, null, null));

        Assert.Equal(("create:async:https://arm/op-1", NodeOperationState.InProgress), (state.OperationId, state.OperationState));
        Assert.Equal(MachineStep.AwaitNode, MachinePlanner.Next(state, T0.AddSeconds(2)));

        state.Apply(new MachineOperationProgressed(Context(2), "create:async:https://arm/op-1", NodeOperationState.Succeeded, null, null));

        Assert.Equal(NodeOperationState.Succeeded, state.OperationState);
    }

    [Fact]
    public void A_state_of_another_operation_than_the_current_one_changes_nothing()
    {
        var state = Machine(
            new MachineRequested(Context(), MachineSpec()),
            new MachineCreationStarted(Context(), "op-2", 1, T0.AddSeconds(240)));

        state.Apply(new MachineOperationProgressed(Context(1), "op-1", NodeOperationState.Failed, "QuotaExceeded", "old"));

        Assert.Null(state.OperationState);
        Assert.Null(state.LastErrorCode);
    }

    [Fact]
    public void A_delete_operation_that_failed_is_cleared_so_that_the_deletion_starts_again()
    {
        var state = Machine(
            new MachineRequested(Context(), MachineSpec()),
            new MachineDeletionRequested(Context()),
            new MachineDeletionStarted(Context(), "delete:async:https://arm/op-3"));
        Assert.Equal(MachineStep.AwaitDeletion, MachinePlanner.Next(state, T0));

        state.Apply(new MachineOperationProgressed(Context(1), "delete:async:https://arm/op-3", NodeOperationState.Failed, "InternalError", "try again"));

        Assert.Null(state.DeletionOperationId);
        Assert.Equal("InternalError", state.LastErrorCode);
        Assert.Equal(MachineStep.StartDeletion, MachinePlanner.Next(state, T0));
    }

    [Fact]
    public void A_poll_records_only_a_changed_state()
    {
        var state = Creating();

        Assert.IsType<MachineOperationProgressed>(Assert.Single(MachinePlanner.OnCreateOperation(state, new(NodeOperationState.InProgress), Context(1), Options, 0.5)));
        state.Apply(new MachineOperationProgressed(Context(1), "op-1", NodeOperationState.InProgress, null, null));
        Assert.Empty(MachinePlanner.OnCreateOperation(state, new(NodeOperationState.InProgress), Context(2), Options, 0.5));
    }

    [Fact]
    public void A_failed_operation_fails_the_attempt_with_the_clouds_code_and_message_at_once_when_no_retry_can_help()
    {
        var events = MachinePlanner.OnCreateOperation(Creating(), new(NodeOperationState.Failed, "QuotaExceeded", "no cores left", Permanent: true), Context(1), Options, 0.5);

        Assert.Equal(2, events.Count);
        var failed = Assert.IsType<MachineFailed>(events[1]);
        Assert.Equal(("QuotaExceeded", "no cores left"), (failed.Code, failed.Message));
    }

    [Fact]
    public void A_vanished_pool_is_a_retried_attempt_when_recreating_is_allowed()
    {
        var events = MachinePlanner.OnCreateOperation(Creating(), new(NodeOperationState.Failed, "AgentPoolNotFound", "deleted outside Kaito"), Context(1), Options, 0.5);

        var retry = Assert.IsType<MachineAttemptFailed>(events[1]);
        Assert.Equal(("AgentPoolNotFound", 1), (retry.Code, retry.Attempt));
    }

    private static readonly MachineProvisioningOptions Options = new() { MaxAttempts = 3 };

    private static MachineState Creating() => Machine(
        new MachineRequested(Context(), MachineSpec()),
        new MachineCreationStarted(Context(), "op-1", 1, T0.AddSeconds(240)));

    [Fact]
    public void The_event_says_the_code_and_message_of_a_failed_operation() =>
        Assert.Equal("operation op-1 Failed (QuotaExceeded): no cores",
            new MachineOperationProgressed(Context(), "op-1", NodeOperationState.Failed, "QuotaExceeded", "no cores").Describe());
}
