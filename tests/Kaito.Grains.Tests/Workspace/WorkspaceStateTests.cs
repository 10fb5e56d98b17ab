using Kaito.Api.V1Alpha1;
using Kaito.Grains.Hosting;
using Kaito.Grains.Machines;
using Kaito.Grains.Workspaces;
using static Kaito.Grains.Tests.Infrastructure.TestEvents;

namespace Kaito.Grains.Tests.Workspaces;

/// <summary>The Workspace state machine driven through Apply alone: no cluster, no storage.</summary>
public sealed class WorkspaceStateTests
{
    private static readonly MachineProvisioningOptions Machines = new();

    [Fact]
    public void Inference_goes_requested_provisioning_nodes_ready_deploying_ready()
    {
        var state = Workspace(new WorkspaceRequested(Context(), Spec(nodes: 2)));
        Assert.Equal(WorkspacePhase.Requested, state.Phase);
        Assert.Equal(WorkspaceStep.ProvisionNodes, WorkspacePlanner.Next(state));

        state.Apply(new MachineProvisioningRequested(Context(1), "ws000000001", "Standard_NC6s_v3"));
        state.Apply(new MachineProvisioningRequested(Context(1), "ws000000002", "Standard_NC6s_v3"));
        Assert.Equal(WorkspacePhase.ProvisioningNodes, state.Phase);
        Assert.Equal(WorkspaceStep.AwaitNodes, WorkspacePlanner.Next(state));

        state.Apply(new MachineReadyObserved(Context(2), "ws000000002", "node-b"));
        state.Apply(new MachineReadyObserved(Context(3), "ws000000001", "node-a"));
        Assert.Equal(WorkspaceStep.MarkResourcesReady, WorkspacePlanner.Next(state));
        Assert.Equal(["node-a", "node-b"], WorkspacePlanner.WorkerNodes(state));

        state.Apply(new ResourcesBecameReady(Context(4), ["node-a", "node-b"]));
        Assert.Equal(WorkspacePhase.NodesReady, state.Phase);
        Assert.Equal(WorkspaceStep.ApplyWorkload, WorkspacePlanner.Next(state));

        state.Apply(new WorkloadApplied(Context(5), state.Spec!.RevisionHash, "Deployment"));
        Assert.Equal(WorkspacePhase.DeployingWorkload, state.Phase);
        Assert.Equal(WorkspaceStep.ObserveWorkload, WorkspacePlanner.Next(state));

        state.Apply(new WorkloadReplicasObserved(Context(6), 1, 1));
        state.Apply(new InferenceBecameReady(Context(6)));
        Assert.Equal(WorkspacePhase.Ready, state.Phase);
        Assert.True(state.IsSettled);
        Assert.Equal(WorkspaceStep.ObserveWorkload, WorkspacePlanner.Next(state));
    }

    [Fact]
    public void Every_event_stamps_the_time_of_the_last_change()
    {
        var state = Workspace(new WorkspaceRequested(Context(), Spec()), new WorkspaceNoteRecorded(Context(42), "checked"));

        Assert.Equal(Context().At, state.CreatedAt);
        Assert.Equal(Context(42).At, state.UpdatedAt);
        Assert.Equal(1, state.NoteCount);
    }

    [Fact]
    public void Ready_workspace_reports_upstream_conditions_true()
    {
        var state = Workspace(ReadyInference());

        var conditions = WorkspaceViews.Conditions(state).ToDictionary(c => c.Type, c => c.Status);

        Assert.Equal("True", conditions[ConditionTypes.ResourceReady]);
        Assert.Equal("True", conditions[ConditionTypes.InferenceReady]);
        Assert.Equal("True", conditions[ConditionTypes.WorkspaceSucceeded]);
        Assert.False(conditions.ContainsKey(ConditionTypes.WorkspaceDeleting));
    }

    [Fact]
    public void Tuning_goes_from_job_submitted_to_running_to_succeeded()
    {
        var state = Workspace(
            new WorkspaceRequested(Context(), Spec(WorkspaceMode.Tuning)),
            new MachineProvisioningRequested(Context(), "ws1", "Standard_NC6s_v3"),
            new MachineReadyObserved(Context(), "ws1", "node-a"),
            new ResourcesBecameReady(Context(), ["node-a"]),
            new WorkloadApplied(Context(), "abcdef0123", "Job"));
        Assert.Equal(WorkspacePhase.TuningJobSubmitted, state.Phase);

        var started = WorkspaceObservationRules.OnWorkload(state, new WorkloadObservation(0, 0, JobActive: true), Context(1));
        Assert.IsType<TuningJobStarted>(Assert.Single(started));
        state.Apply(started[0]);
        Assert.Equal(WorkspacePhase.TuningJobRunning, state.Phase);
        Assert.Equal("True", WorkspaceViews.Conditions(state).Single(c => c.Type == ConditionTypes.JobStarted).Status);

        var done = WorkspaceObservationRules.OnWorkload(state, new WorkloadObservation(0, 0, JobSucceeded: true), Context(2));
        state.Apply(Assert.IsType<TuningJobSucceeded>(Assert.Single(done)));
        Assert.Equal(WorkspacePhase.TuningJobSucceeded, state.Phase);
        Assert.True(state.IsSettled);
    }

    [Fact]
    public void Failed_tuning_job_fails_the_workspace_with_its_reason()
    {
        var state = Workspace(
            new WorkspaceRequested(Context(), Spec(WorkspaceMode.Tuning)),
            new MachineProvisioningRequested(Context(), "ws1", "Standard_NC6s_v3"),
            new MachineReadyObserved(Context(), "ws1", "node-a"),
            new ResourcesBecameReady(Context(), ["node-a"]),
            new WorkloadApplied(Context(), "abcdef0123", "Job"),
            new TuningJobStarted(Context()));
        Assert.Equal(WorkspacePhase.TuningJobRunning, state.Phase);

        var events = WorkspaceObservationRules.OnWorkload(state, new WorkloadObservation(0, 0, JobFailed: true, JobFailureMessage: "BackoffLimitExceeded"), Context(1));
        foreach (var e in events)
        {
            state.Apply(e);
        }

        Assert.Equal(WorkspacePhase.Failed, state.Phase);
        Assert.Equal("TuningJobFailed", state.FailureReason);
        Assert.Equal("BackoffLimitExceeded", state.FailureMessage);
        Assert.Equal("False", WorkspaceViews.Conditions(state).Single(c => c.Type == ConditionTypes.WorkspaceSucceeded).Status);
    }

    [Fact]
    public void Machine_failure_while_provisioning_fails_the_workspace_naming_the_cloud_error()
    {
        var state = Workspace(
            new WorkspaceRequested(Context(), Spec()),
            new MachineProvisioningRequested(Context(), "ws1", "Standard_NC6s_v3"));

        var events = WorkspaceObservationRules.OnMachine(state, new MachineReport("ws1", MachinePhase.Failed, null, "QuotaExceeded", "no quota"), Context(1), Machines, 0);
        var failure = Assert.IsType<MachineFailureObserved>(Assert.Single(events));
        state.Apply(failure);

        Assert.Equal(WorkspacePhase.Failed, state.Phase);
        Assert.Equal("MachineFailed", state.FailureReason);
        Assert.Contains("QuotaExceeded", state.FailureMessage);
        Assert.Equal(1, failure.Retry);
        Assert.Equal(Context(1).At + Machines.ReplacementBackoffBase, failure.RetryAt);
    }

    [Fact]
    public void Redelivered_observations_raise_no_event()
    {
        var state = Workspace([.. ReadyInference()[..^1], new WorkloadReplicasObserved(Context(), 1, 1), new InferenceBecameReady(Context())]);

        Assert.Empty(WorkspaceObservationRules.OnWorkload(state, new WorkloadObservation(1, 1), Context(1)));
        Assert.Empty(WorkspaceObservationRules.OnMachine(state, new MachineReport("ws1", MachinePhase.Ready, "node-a", null, null), Context(1), Machines, 0));
        Assert.Empty(WorkspaceObservationRules.OnMachine(state, new MachineReport("ws-unknown", MachinePhase.Ready, "x", null, null), Context(1), Machines, 0));
    }

    [Fact]
    public void Ready_workload_losing_a_replica_is_unready_again()
    {
        var state = Workspace([.. ReadyInference(), new WorkloadReplicasObserved(Context(), 1, 1)]);

        var events = WorkspaceObservationRules.OnWorkload(state, new WorkloadObservation(0, 1), Context(1));
        foreach (var e in events)
        {
            state.Apply(e);
        }

        Assert.Collection(events, e => Assert.IsType<WorkloadReplicasObserved>(e), e => Assert.IsType<InferenceBecameUnready>(e));
        Assert.Equal(WorkspacePhase.DeployingWorkload, state.Phase);
    }

    [Fact]
    public void A_crash_looping_pod_turns_a_ready_workspace_unready_with_the_reason_and_back_when_it_recovers()
    {
        var state = Workspace([.. ReadyInference(), new WorkloadReplicasObserved(Context(), 1, 1)]);

        // The Deployment may still count the replica for a moment: the pod's own report decides.
        var crashing = new WorkloadObservation(1, 1, ProblemReason: "CrashLoopBackOff", ProblemMessage: "pod ws-1: container model: back-off 5m0s, restarts 3");
        var events = ApplyAll(state, WorkspaceObservationRules.OnWorkload(state, crashing, Context(1)));

        Assert.Collection(events, e => Assert.IsType<WorkloadProblemObserved>(e), e => Assert.IsType<InferenceBecameUnready>(e));
        Assert.Equal(WorkspacePhase.DeployingWorkload, state.Phase);
        var inference = WorkspaceViews.Conditions(state).Single(c => c.Type == ConditionTypes.InferenceReady);
        Assert.Equal(("False", "CrashLoopBackOff"), (inference.Status, inference.Reason));
        Assert.Contains("back-off 5m0s", inference.Message);
        Assert.Empty(WorkspaceObservationRules.OnWorkload(state, crashing, Context(2)));

        events = ApplyAll(state, WorkspaceObservationRules.OnWorkload(state, new WorkloadObservation(1, 1), Context(3)));

        Assert.Collection(events, e => Assert.Null(Assert.IsType<WorkloadProblemObserved>(e).Reason), e => Assert.IsType<InferenceBecameReady>(e));
        Assert.Equal(WorkspacePhase.Ready, state.Phase);
        Assert.Equal("InferenceReady", WorkspaceViews.Conditions(state).Single(c => c.Type == ConditionTypes.InferenceReady).Reason);
    }

    [Fact]
    public void A_failed_machine_attempt_shows_the_provisioners_code_and_message_in_ResourceReady()
    {
        var state = Workspace(
            new WorkspaceRequested(Context(), Spec()),
            new MachineProvisioningRequested(Context(), "ws000000001", "Standard_NC6s_v3"));
        var report = new MachineReport("ws000000001", MachinePhase.Requested, null, "QuotaExceeded", "exceeding approved standardNCSv3Family Cores quota");

        var events = ApplyAll(state, WorkspaceObservationRules.OnMachine(state, report, Context(1), Machines, 0));

        Assert.IsType<MachineProblemObserved>(Assert.Single(events));
        var resource = WorkspaceViews.Conditions(state).Single(c => c.Type == ConditionTypes.ResourceReady);
        Assert.Equal(("False", "QuotaExceeded"), (resource.Status, resource.Reason));
        Assert.Contains("machine ws000000001: QuotaExceeded: exceeding approved standardNCSv3Family Cores quota", resource.Message);
        Assert.Empty(WorkspaceObservationRules.OnMachine(state, report, Context(2), Machines, 0));

        ApplyAll(state, WorkspaceObservationRules.OnMachine(state, new MachineReport("ws000000001", MachinePhase.Ready, "node-a", null, null), Context(3), Machines, 0));
        Assert.Equal("Provisioning", WorkspaceViews.Conditions(state).Single(c => c.Type == ConditionTypes.ResourceReady).Reason);
    }

    [Fact]
    public void A_machine_lost_after_ready_is_replaced_under_a_new_name()
    {
        var state = Workspace(ReadyInference());

        var events = ApplyAll(state, WorkspaceObservationRules.OnMachine(state, new MachineReport("ws1", MachinePhase.Deleted, null, "NodeLost", "node node-a is gone"), Context(1), Machines, 0));

        Assert.IsType<MachineDeletionObserved>(Assert.Single(events));
        Assert.Equal(WorkspacePhase.Requested, state.Phase);
        Assert.Empty(state.WorkerNodes);
        Assert.Equal(WorkspaceStep.ProvisionNodes, WorkspacePlanner.Next(state));
        Assert.All(WorkspaceViews.Conditions(state).Where(c => c.Type != ConditionTypes.WorkspaceDeleting), c => Assert.Equal("False", c.Status));
        Assert.NotEqual(MachineNames.For("default/ws", 0), MachineNames.For("default/ws", state.Machines.Count));
    }

    [Fact]
    public void New_revision_on_ready_nodes_redeploys_the_workload_and_keeps_the_nodes()
    {
        var state = Workspace(ReadyInference());

        state.Apply(new WorkspaceRevisionCreated(Context(10, generation: 2), Spec(hash: "99999aaaaa"), 2));

        Assert.Equal(2, state.Revision);
        Assert.Equal(2, state.Generation);
        Assert.Equal(WorkspacePhase.NodesReady, state.Phase);
        Assert.Equal(WorkspaceStep.ApplyWorkload, WorkspacePlanner.Next(state));
        Assert.Equal(["node-a"], state.WorkerNodes);
    }

    [Fact]
    public void Deletion_releases_every_machine_before_finishing()
    {
        var state = Workspace(
            new WorkspaceRequested(Context(), Spec(nodes: 2)),
            new MachineProvisioningRequested(Context(), "ws1", "Standard_NC6s_v3"),
            new MachineProvisioningRequested(Context(), "ws2", "Standard_NC6s_v3"),
            new WorkspaceDeletionRequested(Context(1)));
        Assert.Equal(WorkspacePhase.Deleting, state.Phase);
        Assert.Equal("True", WorkspaceViews.Conditions(state).Single(c => c.Type == ConditionTypes.WorkspaceDeleting).Status);
        Assert.Equal(WorkspaceStep.ReleaseMachines, WorkspacePlanner.Next(state));

        state.Apply(new MachineDeletionObserved(Context(2), "ws1"));
        Assert.Equal(WorkspaceStep.ReleaseMachines, WorkspacePlanner.Next(state));
        state.Apply(new MachineDeletionObserved(Context(3), "ws2"));
        Assert.Equal(WorkspaceStep.FinishDeletion, WorkspacePlanner.Next(state));

        state.Apply(new WorkspaceDeleted(Context(4)));
        Assert.Equal(WorkspacePhase.Deleted, state.Phase);
        Assert.True(state.IsSettled);
    }

    [Fact]
    public void Rejected_spec_keeps_the_accepted_revision()
    {
        var state = Workspace(
            new WorkspaceRequested(Context(), Spec()),
            new WorkspaceSpecRejected(Context(1, generation: 2), ["resource.instanceType: field is immutable"]));

        Assert.Equal(1, state.Revision);
        Assert.Equal(1, state.Generation);
        Assert.Equal(2, state.RejectedGeneration);
        Assert.Equal(WorkspacePhase.Requested, state.Phase);
    }

    private static IReadOnlyList<WorkspaceEvent> ApplyAll(WorkspaceState state, IReadOnlyList<WorkspaceEvent> events)
    {
        foreach (var e in events)
        {
            state.Apply(e);
        }

        return events;
    }
}
