using Kaito.Api.V1Alpha1;
using Kaito.Grains.EventLog;
using Kaito.Grains.Machines;
using Kaito.Grains.Ports;
using Kaito.Grains.Tests.Infrastructure;
using Kaito.Grains.Workspaces;

namespace Kaito.Grains.Tests.Workspaces;

/// <summary>Workspace and Machine grains in one in-process silo over Azurite, with recording ports.</summary>
[Collection(ClusterCollection.Name)]
public sealed class WorkspaceGrainTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly CommandSource Watch = new(Actors.KubernetesWatch, "watch:modified");

    private KaitoTestCluster Kaito => fixture.Kaito;

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private IWorkspaceGrain Grain(string ns, string name) => Kaito.Client.GetGrain<IWorkspaceGrain>($"{ns}/{name}");

    private IWorkspaceAuditGrain Audit => Kaito.Client.GetGrain<IWorkspaceAuditGrain>(0);

    private static Task<WorkspaceView> PhaseAsync(IWorkspaceGrain grain, WorkspacePhase phase) =>
        Eventually.ReturnsAsync(grain.GetState, v => v.Phase == phase, Deadline, $"workspace reaches {phase}");

    [Fact]
    public async Task Inference_workspace_provisions_nodes_deploys_and_becomes_ready_with_a_full_audit_trail()
    {
        var name = NewName("infer");
        var grain = Grain("default", name);

        var result = await grain.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name), new CommandSource(Actors.ServiceBus("msg-1"), "servicebus:apply")));
        Assert.Equal(SpecApplyOutcome.Accepted, result.Outcome);
        var ready = await PhaseAsync(grain, WorkspacePhase.Ready);

        var machine = Assert.Single(ready.Machines);
        Assert.Matches("^ws[0-9a-f]{9}$", machine.MachineId);
        Assert.Equal([$"aks-{machine.MachineId}-vmss000000"], ready.WorkerNodes);
        Assert.Equal("Standard_NC6s_v3", ready.InstanceType);
        Assert.All(ready.Conditions.Where(c => c.Type != ConditionTypes.WorkspaceDeleting), c => Assert.Equal("True", c.Status));

        Assert.Equal(1, Kaito.Nodes.CallsFor("create", machine.MachineId));
        var calls = Kaito.Kubernetes.Calls.Where(c => c.Contains(name, StringComparison.Ordinal)).ToList();
        Assert.Equal($"finalizer+ default/{name}", calls[0]);
        Assert.Single(calls, c => c == $"apply {KubernetesKinds.ControllerRevision} default/{name}-{ready.RevisionHash![..5]}");
        Assert.Contains($"apply {KubernetesKinds.Service} default/{name}", calls);
        Assert.Contains($"apply {KubernetesKinds.Deployment} default/{name}", calls);
        Assert.Contains(Kaito.Publisher.Published, v => v.Key == $"default/{name}" && v.Phase == WorkspacePhase.Ready);

        var history = await Audit.GetWorkspaceHistory($"default/{name}");
        Assert.Equal(
            ["workspace.requested", "workspace.machineRequested", "workspace.machineReady", "workspace.resourceReady",
             "workspace.workloadApplied", "workspace.workloadScheduled", "workspace.workloadObserved", "workspace.inferenceReady"],
            history.Select(h => h.EventType));
        Assert.Equal(Enumerable.Range(1, history.Count), history.Select(h => h.Version));
        Assert.Equal("servicebus:msg-1", history[0].Actor);
        Assert.Equal("servicebus:apply", history[0].Cause);
        Assert.Equal($"machine:{machine.MachineId}", history[2].Actor);

        // The last machine ready and ResourceReady are one decision, in one append.
        Assert.Equal($"machine:{machine.MachineId}", history[3].Actor);
        Assert.Equal(history[2].At, history[3].At);
        Assert.All(history.Skip(4), h => Assert.Equal(Actors.Reconciler, h.Actor));
        Assert.All(history, h => Assert.Equal(1, h.Generation));
        Assert.All(history, h => Assert.False(string.IsNullOrEmpty(h.Summary)));
        Assert.True(history.Zip(history.Skip(1)).All(p => p.First.At <= p.Second.At));

        var machineHistory = await Audit.GetMachineHistory(machine.MachineId);
        Assert.Equal(["machine.requested", "machine.creationStarted", "machine.nodeRegistered", "machine.gpuCapacityObserved", "machine.ready"],
            machineHistory.Select(h => h.EventType));
    }

    [Fact]
    public async Task A_new_workspace_on_handed_over_nodes_reaches_its_workload_in_two_appends_with_the_finalizer_first()
    {
        var name = NewName("appends");
        var grain = Grain("default", name);

        await grain.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name), Watch));
        var ready = await PhaseAsync(grain, WorkspacePhase.Ready);

        // The request and its machine are one decision; the machine ready, ResourceReady and the applied workload another
        // (the recorder gets one call per append).
        var appends = Kaito.Events.AppendsFor($"default/{name}");
        Assert.Equal(["RevisionAccepted", "InstanceTypeSelected", "MachineRequested"], appends[0]);
        Assert.Equal(["NodeRegistered", "ResourceReady", "WorkloadApplied"], appends[1]);
        var history = await Audit.GetWorkspaceHistory($"default/{name}");
        Assert.Equal(history[0].At, history[1].At);

        // Nothing was asked of the machine before the finalizer and the ControllerRevision were in place.
        var machine = Assert.Single(ready.Machines).MachineId;
        var calls = Kaito.Kubernetes.Calls.Where(c => c.Contains(name, StringComparison.Ordinal)).ToList();
        Assert.Equal($"finalizer+ default/{name}", calls[0]);
        Assert.StartsWith($"apply {KubernetesKinds.ControllerRevision} default/{name}-", calls[1]);
        Assert.Equal(1, Kaito.Nodes.CallsFor("create", machine));
    }

    [Fact]
    public async Task A_deleted_deployment_of_a_ready_workspace_is_applied_again_when_the_watch_pokes_it()
    {
        var name = NewName("gone");
        var grain = Grain("default", name);
        await grain.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name), Watch));
        await PhaseAsync(grain, WorkspacePhase.Ready);
        var deployment = $"{KubernetesKinds.Deployment} default/{name}";
        Assert.True(Kaito.Kubernetes.Workloads.TryRemove(deployment, out _));

        await grain.Reconcile(new CommandSource(Actors.KubernetesWatch, "watch:deployment-deleted"));

        Assert.Equal(2, Kaito.Kubernetes.Calls.Count(c => c == $"apply {deployment}"));
        await PhaseAsync(grain, WorkspacePhase.Ready);
        var history = await Audit.GetWorkspaceHistory($"default/{name}");
        Assert.Equal(2, history.Count(h => h.EventType == "workspace.workloadApplied"));
    }

    [Fact]
    public async Task A_node_lost_after_ready_is_replaced_by_a_new_machine_and_the_workload_follows()
    {
        var name = NewName("lost");
        var grain = Grain("default", name);
        await grain.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name), Watch));
        var first = Assert.Single((await PhaseAsync(grain, WorkspacePhase.Ready)).Machines).MachineId;
        Assert.True(Kaito.Nodes.Nodes.TryRemove(first, out _));

        await Kaito.Client.GetGrain<IMachineGrain>(first).Reconcile(new CommandSource(Actors.KubernetesWatch, "watch:node-deleted"));

        var ready = await Eventually.ReturnsAsync(grain.GetState, v => v.Phase == WorkspacePhase.Ready && v.Machines.Count == 2, Deadline, "a replacement machine is ready");
        var second = ready.Machines.Single(m => !m.Deleted);
        Assert.NotEqual(first, second.MachineId);
        Assert.True(ready.Machines.Single(m => m.MachineId == first).Deleted);
        Assert.Equal([second.NodeName!], ready.WorkerNodes);
        Assert.Equal(MachinePhase.Deleted, (await Kaito.Client.GetGrain<IMachineGrain>(first).GetState()).Phase);
        Assert.Equal(2, Kaito.Kubernetes.Calls.Count(c => c == $"apply {KubernetesKinds.Deployment} default/{name}"));
    }

    [Fact]
    public async Task Same_spec_and_generation_twice_and_redelivered_observations_raise_no_event()
    {
        var name = NewName("idem");
        var grain = Grain("default", name);
        var document = new WorkspaceSubmission(Manifests.Inference("default", name), Watch);
        await grain.ApplySpec(document);
        var ready = await PhaseAsync(grain, WorkspacePhase.Ready);

        var again = await grain.ApplySpec(document);
        await grain.ObserveWorkload(new WorkloadObservation(1, 1), Watch);
        await grain.ObserveMachine(new MachineReport(ready.Machines[0].MachineId, MachinePhase.Ready, ready.WorkerNodes[0], null, null));
        await grain.Reconcile(Watch);

        Assert.Equal(SpecApplyOutcome.Unchanged, again.Outcome);
        Assert.Equal(ready.Version, (await grain.GetState()).Version);
        Assert.Equal(ready.Version, (await Audit.GetWorkspaceHistory($"default/{name}")).Count);
    }

    [Fact]
    public async Task Documents_without_a_generation_still_make_new_revisions_and_stay_idempotent()
    {
        var name = NewName("nogen");
        var grain = Grain("default", name);
        var api = new CommandSource(Actors.Api("frank"), "api:apply");

        var first = await grain.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name, generation: 0), api));
        var same = await grain.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name, generation: 0), api));
        var changed = await grain.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name, generation: 0, config: "tuned"), api));

        Assert.Equal(SpecApplyOutcome.Accepted, first.Outcome);
        Assert.Equal(SpecApplyOutcome.Unchanged, same.Outcome);
        Assert.Equal(SpecApplyOutcome.Accepted, changed.Outcome);
        Assert.Equal(2, changed.Revision);
        Assert.Equal(2, (await grain.GetState()).Generation);
    }

    [Fact]
    public async Task Changing_an_immutable_field_is_rejected_once_and_the_accepted_revision_stays()
    {
        var name = NewName("immut");
        var grain = Grain("team-a", name);
        await grain.ApplySpec(new WorkspaceSubmission(Manifests.Inference("team-a", name), Watch));
        var before = await grain.GetState();

        var changed = new WorkspaceSubmission(Manifests.Inference("team-a", name, generation: 2, instanceType: "Standard_NC12s_v3"), Watch);
        var rejected = await grain.ApplySpec(changed);
        var redelivered = await grain.ApplySpec(changed);

        Assert.Equal(SpecApplyOutcome.Rejected, rejected.Outcome);
        Assert.Contains(rejected.Errors, e => e.Contains("resource.instanceType", StringComparison.Ordinal) && e.Contains("immutable", StringComparison.Ordinal));
        Assert.Equal(SpecApplyOutcome.Rejected, redelivered.Outcome);
        var history = await Audit.GetWorkspaceHistory($"team-a/{name}");
        Assert.Single(history, h => h.EventType == "workspace.specRejected");
        var after = await grain.GetState();
        Assert.Equal(1, after.Revision);
        Assert.Equal(before.RevisionHash, after.RevisionHash);
        Assert.Equal("Standard_NC6s_v3", after.InstanceType);
    }

    [Fact]
    public async Task Invalid_first_spec_is_rejected_with_upstream_messages()
    {
        var name = NewName("bad");
        var result = await Grain("default", name).ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name, preset: "no-such-model"), Watch));

        Assert.Equal(SpecApplyOutcome.Rejected, result.Outcome);
        Assert.Contains(result.Errors, e => e.Contains("Unsupported inference preset name", StringComparison.Ordinal));
        Assert.Equal(WorkspacePhase.None, (await Grain("default", name).GetState()).Phase);
    }

    [Fact]
    public async Task Spec_change_creates_a_new_revision_and_redeploys_on_the_same_nodes()
    {
        var name = NewName("rev");
        var grain = Grain("default", name);
        await grain.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name), Watch));
        var first = await PhaseAsync(grain, WorkspacePhase.Ready);

        var result = await grain.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name, generation: 2, config: "my-inference-params"), Watch));
        var second = await Eventually.ReturnsAsync(grain.GetState, v => v.Phase == WorkspacePhase.Ready && v.Revision == 2, Deadline, "revision 2 ready");

        Assert.Equal(SpecApplyOutcome.Accepted, result.Outcome);
        Assert.NotEqual(first.RevisionHash, second.RevisionHash);
        Assert.Equal(2, second.Generation);
        Assert.Equal(first.WorkerNodes, second.WorkerNodes);
        Assert.Single(second.Machines);
        Assert.Equal(2, Kaito.Kubernetes.Calls.Count(c => c == $"apply {KubernetesKinds.Deployment} default/{name}"));
        Assert.Contains($"apply {KubernetesKinds.ControllerRevision} default/{name}-{second.RevisionHash![..5]}", Kaito.Kubernetes.Calls);
        var history = await Audit.GetWorkspaceHistory($"default/{name}");
        Assert.Contains(history, h => h.EventType == "workspace.revisionCreated" && h.Generation == 2);
    }

    [Fact]
    public async Task Deletion_releases_every_machine_then_removes_the_finalizer()
    {
        var name = NewName("del");
        var grain = Grain("default", name);
        await grain.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name, count: 2), Watch));
        var ready = await PhaseAsync(grain, WorkspacePhase.Ready);
        Assert.Equal(2, ready.Machines.Count);

        await grain.RequestDeletion(new CommandSource(Actors.Api("alice"), "api:delete"));
        var deleted = await PhaseAsync(grain, WorkspacePhase.Deleted);

        Assert.All(deleted.Machines, m => Assert.True(m.Deleted));
        Assert.All(ready.Machines, m => Assert.Equal(1, Kaito.Nodes.CallsFor("delete", m.MachineId)));
        Assert.Contains($"finalizer- default/{name}", Kaito.Kubernetes.Calls);
        var history = await Audit.GetWorkspaceHistory($"default/{name}");
        Assert.Equal("workspace.deleted", history[^1].EventType);
        Assert.Contains(history, h => h.EventType == "workspace.deletionRequested" && h.Actor == "api:alice");
        Assert.Equal(SpecApplyOutcome.Ignored, (await grain.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name, generation: 5), Watch))).Outcome);
    }

    [Fact]
    public async Task Tuning_workspace_runs_its_job_to_success()
    {
        var name = NewName("tune");
        var grain = Grain("default", name);
        await grain.ApplySpec(new WorkspaceSubmission(Manifests.Tuning("default", name), Watch));
        await PhaseAsync(grain, WorkspacePhase.TuningJobSubmitted);
        Assert.Contains($"apply {KubernetesKinds.Job} default/{name}", Kaito.Kubernetes.Calls);

        Kaito.Kubernetes.Workloads[$"{KubernetesKinds.Job} default/{name}"] = new WorkloadObservation(0, 0, JobActive: true);
        await PhaseAsync(grain, WorkspacePhase.TuningJobRunning);
        Kaito.Kubernetes.Workloads[$"{KubernetesKinds.Job} default/{name}"] = new WorkloadObservation(0, 0, JobSucceeded: true);
        var done = await PhaseAsync(grain, WorkspacePhase.TuningJobSucceeded);

        Assert.Equal("True", done.Conditions.Single(c => c.Type == ConditionTypes.WorkspaceSucceeded).Status);
        Assert.Equal("True", done.Conditions.Single(c => c.Type == ConditionTypes.JobStarted).Status);
    }

    [Fact]
    public async Task Cloud_errors_are_retried_with_backoff_then_replaced_up_to_the_cap_then_fail_the_workspace_with_the_cloud_code()
    {
        var name = NewName("quota");
        Kaito.Nodes.CreateFailure = (_, spec) => spec.OwnerWorkspace == $"default/{name}"
            ? new NodeProvisioningException("QuotaExceeded", "Operation could not be completed as it results in exceeding approved quota")
            : null;
        var grain = Grain("default", name);
        await grain.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name), Watch));

        // FastMachines: 3 attempts per machine, then up to 2 replacement machines; each failed machine is released.
        var failed = await Eventually.ReturnsAsync(grain.GetState,
            v => v.Phase == WorkspacePhase.Failed && v.Machines.Count == 3 && v.Machines.All(m => m.Deleted) && v.NextMachineRetryAt is null,
            Deadline, "the workspace gives up after its replacements");

        Assert.Equal("MachineFailed", failed.FailureReason);
        Assert.Contains("QuotaExceeded", failed.FailureMessage);
        Assert.Contains("no replacement left", failed.FailureMessage);
        Assert.Equal(2, failed.MachineRetries);
        Assert.All(failed.Machines, m => Assert.True(m.Failed));
        foreach (var machineId in failed.Machines.Select(m => m.MachineId))
        {
            var machine = await Kaito.Client.GetGrain<IMachineGrain>(machineId).GetState();
            Assert.Equal(MachinePhase.Deleted, machine.Phase);
            Assert.Equal(3, machine.Attempt);
            Assert.Equal(3, Kaito.Nodes.CallsFor("create", machineId));
            var history = await Audit.GetMachineHistory(machineId);
            Assert.Equal(["machine.requested", "machine.attemptFailed", "machine.attemptFailed", "machine.failed", "machine.deletionRequested",
                "machine.deletionStarted", "machine.deleted"], history.Select(h => h.EventType));
        }

        var workspaceHistory = await Audit.GetWorkspaceHistory($"default/{name}");
        Assert.Equal(3, workspaceHistory.Count(h => h.EventType == "workspace.machineFailed"));
        Assert.Equal(3, workspaceHistory.Count(h => h.EventType == "workspace.machineRequested"));
    }

    [Fact]
    public async Task Node_that_never_registers_times_out_and_creation_is_retried()
    {
        var name = NewName("slow");
        var owner = $"default/{name}";
        var registered = false;
        Kaito.Nodes.RegistersAtOnce = spec => spec.OwnerWorkspace != owner || registered;
        var grain = Grain("default", name);
        await grain.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name), Watch));
        var provisioning = await PhaseAsync(grain, WorkspacePhase.ProvisioningNodes);
        var machine = Kaito.Client.GetGrain<IMachineGrain>(provisioning.Machines[0].MachineId);

        var retried = await Eventually.ReturnsAsync(machine.GetState, m => m.LastErrorCode == "NodeRegistrationTimeout", Deadline, "registration timeout");
        // Retried, not given up: back in Requested for the backoff (100 ms here), or already creating again.
        Assert.Contains(retried.Phase, new[] { MachinePhase.Requested, MachinePhase.Creating });
        registered = true;
        await PhaseAsync(grain, WorkspacePhase.Ready);

        Assert.True(Kaito.Nodes.CallsFor("create", retried.MachineId) >= 2);
        Assert.Contains(await Audit.GetMachineHistory(retried.MachineId), h => h.EventType == "machine.attemptFailed" && h.Summary.Contains("NodeRegistrationTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Workspaces_are_listed_a_page_at_a_time_with_their_state()
    {
        var names = Enumerable.Range(0, 3).Select(_ => NewName("list")).ToList();
        foreach (var name in names)
        {
            await Grain("listing", name).ApplySpec(new WorkspaceSubmission(Manifests.Inference("listing", name), Watch));
        }

        var all = new List<AggregateSummary>();
        string? token = null;
        do
        {
            var page = await Audit.ListWorkspaces(2, token);
            all.AddRange(page.Items);
            token = page.ContinuationToken;
        }
        while (token is not null);

        foreach (var name in names)
        {
            var entry = Assert.Single(all, s => s.Id == $"listing/{name}");
            Assert.False(string.IsNullOrEmpty(entry.Phase));
            Assert.Contains("phi-3-mini-4k-instruct", entry.Summary, StringComparison.Ordinal);
        }
    }
}
