using Azure.Data.Tables;
using Kaito.Grains.EventLog;
using Kaito.Grains.Machines;
using Kaito.Grains.Ports;
using Kaito.Grains.Tests.Infrastructure;
using Kaito.Grains.Workspaces;

namespace Kaito.Grains.Tests.Workspaces;

/// <summary>No dead ends: every way a workspace can get stuck has a way out, driven by the grains alone.</summary>
[Collection(ClusterCollection.Name)]
public sealed class WorkspaceRecoveryTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly CommandSource Watch = new(Actors.KubernetesWatch, "watch:modified");

    private KaitoTestCluster Kaito => fixture.Kaito;

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private IWorkspaceGrain Grain(string name) => Kaito.Client.GetGrain<IWorkspaceGrain>($"default/{name}");

    private IWorkspaceAuditGrain Audit => Kaito.Client.GetGrain<IWorkspaceAuditGrain>(0);

    private static Task<WorkspaceView> PhaseAsync(IWorkspaceGrain grain, WorkspacePhase phase) =>
        Eventually.ReturnsAsync(grain.GetState, v => v.Phase == phase, Deadline, $"workspace reaches {phase}");

    [Fact]
    public async Task A_machine_failure_followed_by_a_successful_replacement_ends_ready()
    {
        var name = NewName("retry");
        var firstMachine = MachineNames.For($"default/{name}", 0);
        Kaito.Nodes.CreateFailure = (machine, _) => machine == firstMachine ? new NodeProvisioningException("AllocationFailed", "no capacity in the zone") : null;
        var grain = Grain(name);
        await grain.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name), Watch));

        var ready = await Eventually.ReturnsAsync(grain.GetState, v => v.Phase == WorkspacePhase.Ready && v.Machines.Count == 2, Deadline, "the replacement is ready");

        Assert.Null(ready.FailureReason);
        Assert.Equal(1, ready.MachineRetries);
        var first = ready.Machines.Single(m => m.MachineId == firstMachine);
        Assert.True(first.Failed && first.Deleted);
        var second = ready.Machines.Single(m => m.MachineId != firstMachine);
        Assert.Equal(MachineNames.For($"default/{name}", 1), second.MachineId);
        Assert.Equal([second.NodeName!], ready.WorkerNodes);
        Assert.Equal(MachinePhase.Deleted, (await Kaito.Client.GetGrain<IMachineGrain>(firstMachine).GetState()).Phase);
        var history = (await Audit.GetWorkspaceHistory($"default/{name}")).Select(h => h.EventType).ToList();
        Assert.True(history.IndexOf("workspace.machineFailed") < history.LastIndexOf("workspace.machineRequested"));
        Assert.Equal("workspace.inferenceReady", history[^1]);
        Assert.Contains(Kaito.Publisher.Published, v => v.Key == $"default/{name}" && v.Phase == WorkspacePhase.Failed);
    }

    [Fact]
    public async Task A_corrupt_log_still_lets_the_workspace_be_deleted()
    {
        var name = NewName("corrupt");
        var key = $"default/{name}";
        var grain = Grain(name);
        await grain.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name, count: 2), Watch));
        var ready = await PhaseAsync(grain, WorkspacePhase.Ready);
        await Kaito.Cluster.DeactivateAsync(grain);
        var table = Kaito.Tables.GetTableClient(Kaito.TablePrefix + "WorkspaceEvents");
        await table.UpdateEntityAsync(
            new TableEntity(PartitionKeyEncoding.Encode(key), EventRowCodec<WorkspaceEvent>.RowKeyOf(2)) { ["Type"] = "workspace.fromTheFuture" },
            Azure.ETag.All, TableUpdateMode.Merge);

        await grain.RequestDeletion(new CommandSource(Actors.KubernetesWatch, "watch:deleted"));

        await Eventually.TrueAsync(() => Kaito.Kubernetes.Calls.Contains($"finalizer- {key}"), Deadline, "the finalizer is removed");
        foreach (var machine in ready.Machines)
        {
            Assert.Equal(MachinePhase.Deleted, (await Kaito.Client.GetGrain<IMachineGrain>(machine.MachineId).GetState()).Phase);
            Assert.False(Kaito.Nodes.Nodes.ContainsKey(machine.MachineId));
            var history = await Audit.GetMachineHistory(machine.MachineId);
            Assert.Contains(history, h => h.EventType == "machine.deleted");
        }

        // Every other command still reports the damage, naming the aggregate and the version.
        Assert.Contains("version 2", (await Assert.ThrowsAnyAsync<Exception>(grain.GetState)).ToString());
        await grain.RequestDeletion(new CommandSource(Actors.KubernetesWatch, "watch:deleted"));
    }

    [Fact]
    public async Task A_failed_status_publish_is_retried_until_it_lands_after_the_workspace_settled()
    {
        var name = NewName("publish");
        var key = $"default/{name}";
        var failing = true;
        Kaito.Publisher.Failure = v => v.Key == key && failing ? new HttpRequestException("the API server is unreachable") : null;
        var grain = Grain(name);
        await grain.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name), Watch));
        await Eventually.ReturnsAsync(grain.GetState, v => v.Phase == WorkspacePhase.Ready && v.PublishFailures >= 2, Deadline, "ready, publishes failing");
        Assert.DoesNotContain(Kaito.Publisher.Published, v => v.Key == key);

        failing = false;

        await Eventually.TrueAsync(() => Kaito.Publisher.Published.Any(v => v.Key == key && v.Phase == WorkspacePhase.Ready), Deadline, "the Ready status lands");
        Assert.Equal(0, (await grain.GetState()).PublishFailures);
    }

    [Fact]
    public async Task A_ready_workspace_is_re_observed_on_the_slow_cadence_without_a_poke()
    {
        var name = NewName("reobs");
        var grain = Grain(name);
        await grain.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name), Watch));
        await PhaseAsync(grain, WorkspacePhase.Ready);
        var deployment = $"{KubernetesKinds.Deployment} default/{name}";

        Assert.True(Kaito.Kubernetes.Workloads.TryRemove(deployment, out _));

        await Eventually.TrueAsync(() => Kaito.Kubernetes.Calls.Count(c => c == $"apply {deployment}") == 2, Deadline, "the deployment is applied again");
        await PhaseAsync(grain, WorkspacePhase.Ready);
    }

    [Fact]
    public async Task Failing_reconcile_passes_back_off_with_the_count_in_state_and_recover()
    {
        var name = NewName("backoff");
        var grain = Grain(name);
        await grain.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name), Watch));
        await PhaseAsync(grain, WorkspacePhase.Ready);
        var reads = 0;
        Kaito.Kubernetes.ReadFailure = target => target.Name == name && Interlocked.Increment(ref reads) > 0 ? new HttpRequestException("connection refused") : null;

        var failing = await Eventually.ReturnsAsync(grain.GetState, v => v.ReconcileFailures >= 2, Deadline, "reconcile failures counted");
        Kaito.Kubernetes.ReadFailure = _ => null;

        Assert.Equal(WorkspacePhase.Ready, failing.Phase);
        await Eventually.ReturnsAsync(grain.GetState, v => v.ReconcileFailures == 0, Deadline, "the count resets on success");
    }

    [Fact]
    public async Task A_document_without_a_generation_after_a_rejected_one_is_judged_on_its_own()
    {
        var name = NewName("nogenrej");
        var grain = Grain(name);
        var api = new CommandSource(Actors.Api("grace"), "api:apply");

        var bad = await grain.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name, generation: 0, preset: "no-such-model"), api));
        var badAgain = await grain.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name, generation: 0, preset: "no-such-model"), api));
        var good = await grain.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name, generation: 0), api));

        Assert.Equal(SpecApplyOutcome.Rejected, bad.Outcome);
        Assert.Equal(SpecApplyOutcome.Rejected, badAgain.Outcome);
        Assert.Equal(SpecApplyOutcome.Accepted, good.Outcome);
        var history = await Audit.GetWorkspaceHistory($"default/{name}");
        Assert.Equal(["workspace.specRejected", "workspace.requested"], history.Take(2).Select(h => h.EventType));
    }
}
