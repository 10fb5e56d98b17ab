using Kaito.Grains.Workspaces;
using static Kaito.Grains.Tests.Infrastructure.TestEvents;

namespace Kaito.Grains.Tests.Workspaces;

/// <summary>A stale or repeated event (resubmitted after a lost race, redelivered) never moves a workspace backwards.</summary>
public sealed class WorkspaceApplyGuardTests
{
    [Fact]
    public void A_duplicate_machine_request_does_not_reset_a_ready_machine()
    {
        var state = Workspace(ReadyInference());

        state.Apply(new MachineProvisioningRequested(Context(9), "ws1", "Standard_NC6s_v3"));

        Assert.True(state.Machines["ws1"].Ready);
        Assert.Equal("node-a", state.Machines["ws1"].NodeName);
        Assert.Equal(WorkspacePhase.Ready, state.Phase);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Late_workload_events_do_not_overwrite_deleting_or_deleted(bool deleted)
    {
        var state = Workspace([.. ReadyInference(), new WorkspaceDeletionRequested(Context(7)),
            .. deleted ? new WorkspaceEvent[] { new MachineDeletionObserved(Context(8), "ws1"), new WorkspaceDeleted(Context(8)) } : []]);
        var phase = state.Phase;

        state.Apply(new InferenceBecameReady(Context(9)));
        state.Apply(new WorkloadApplied(Context(9), "abcdef0123", "Deployment"));
        state.Apply(new WorkloadProblemObserved(Context(9), "CrashLoopBackOff", "late"));
        state.Apply(new MachineProvisioningRequested(Context(9), "ws9", "Standard_NC6s_v3"));
        state.Apply(new WorkspaceFailed(Context(9), "TuningJobFailed", "late"));
        state.Apply(new WorkspaceRevisionCreated(Context(9, generation: 2), Spec(hash: "fedcba9876"), 2));

        Assert.Equal(deleted ? WorkspacePhase.Deleted : WorkspacePhase.Deleting, phase);
        Assert.Equal(phase, state.Phase);
        Assert.Null(state.WorkloadProblemReason);
        Assert.False(state.Machines.ContainsKey("ws9"));
        Assert.Equal(1, state.Revision);
    }

    [Fact]
    public void A_deleted_workspace_is_not_deleting_again()
    {
        var state = Workspace([.. ReadyInference(), new WorkspaceDeletionRequested(Context(7)), new MachineDeletionObserved(Context(8), "ws1"), new WorkspaceDeleted(Context(8))]);

        state.Apply(new WorkspaceDeletionRequested(Context(9)));

        Assert.Equal(WorkspacePhase.Deleted, state.Phase);
    }

    [Fact]
    public void A_workload_applied_for_an_older_revision_does_not_mark_the_new_one_applied()
    {
        var state = Workspace([.. ReadyInference(), new WorkspaceRevisionCreated(Context(7, generation: 2), Spec(hash: "fedcba9876"), 2)]);
        Assert.Equal(WorkspacePhase.NodesReady, state.Phase);

        state.Apply(new WorkloadApplied(Context(8), "abcdef0123", "Deployment"));

        Assert.Equal(WorkspacePhase.NodesReady, state.Phase);
        Assert.Equal(WorkspaceStep.ApplyWorkload, WorkspacePlanner.Next(state));
    }

    [Fact]
    public void A_stale_first_spec_or_revision_is_ignored()
    {
        var state = Workspace([.. ReadyInference(), new WorkspaceRevisionCreated(Context(7, generation: 3), Spec(hash: "fedcba9876"), 2)]);

        state.Apply(new WorkspaceRequested(Context(8), Spec(hash: "0000000000")));
        state.Apply(new WorkspaceRevisionCreated(Context(8, generation: 2), Spec(hash: "1111111111"), 2));
        state.Apply(new WorkspaceSpecRejected(Context(8, generation: 2), ["late verdict"]));

        Assert.Equal("fedcba9876", state.Spec!.RevisionHash);
        Assert.Equal(2, state.Revision);
        Assert.Equal(3, state.Generation);
        Assert.Null(state.RejectedGeneration);
    }

    [Fact]
    public void Readiness_events_out_of_order_are_ignored()
    {
        var state = Workspace(new WorkspaceRequested(Context(), Spec()), new MachineProvisioningRequested(Context(), "ws1", "Standard_NC6s_v3"));

        state.Apply(new WorkloadApplied(Context(1), "abcdef0123", "Deployment"));
        state.Apply(new InferenceBecameReady(Context(1)));
        state.Apply(new TuningJobSucceeded(Context(1)));

        Assert.Equal(WorkspacePhase.ProvisioningNodes, state.Phase);
        Assert.Null(state.AppliedRevisionHash);
    }

    [Fact]
    public void A_failed_machine_reported_ready_late_stays_failed()
    {
        var state = Workspace(new WorkspaceRequested(Context(), Spec()), new MachineProvisioningRequested(Context(), "ws1", "Standard_NC6s_v3"),
            new MachineFailureObserved(Context(1), "ws1", "QuotaExceeded", "no quota", 1, Context(30).At));

        state.Apply(new MachineReadyObserved(Context(2), "ws1", "node-a"));
        state.Apply(new MachineFailureObserved(Context(3), "ws1", "QuotaExceeded", "again", 2, Context(60).At));

        Assert.False(state.Machines["ws1"].Ready);
        Assert.Equal(1, state.MachineRetries);
        Assert.Equal(Context(30).At, state.NextMachineRetryAt);
    }
}
