using Kaito.Grains.EventLog;
using Kaito.Grains.Tests.Infrastructure;
using Kaito.Grains.Workspaces;

namespace Kaito.Grains.Tests.Workspaces;

/// <summary>The grain announces each decision it records as a Kubernetes Event notice: once, at the decision's time.</summary>
public sealed class WorkspaceEventNoticeGrainTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly CommandSource Watch = new(Actors.KubernetesWatch, "watch:modified");

    private static readonly string[] LifeToReady =
        ["RevisionAccepted", "InstanceTypeSelected", "MachineRequested", "NodeRegistered", "ResourceReady", "WorkloadApplied", "WorkloadScheduled", "WorkspaceReady"];

    [Fact]
    public async Task Each_recorded_decision_is_announced_once_at_its_own_time_and_never_again_after_a_restart()
    {
        await using var kaito = await KaitoTestCluster.StartAsync(configureMachines: KaitoTestCluster.FastMachines);
        var name = $"notice-{Guid.NewGuid():N}"[..20];
        var key = $"default/{name}";
        var grain = kaito.Client.GetGrain<IWorkspaceGrain>(key);
        await grain.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name), Watch));
        await Eventually.ReturnsAsync(grain.GetState, v => v.Phase == WorkspacePhase.Ready, Deadline, "Ready");

        var notices = kaito.Events.For(key);
        Assert.Equal(LifeToReady, notices.Select(n => n.Reason));
        Assert.All(notices, n => Assert.Equal(Kaito.Grains.Ports.KubernetesEventType.Normal, n.Type));
        var history = await kaito.Client.GetGrain<IWorkspaceAuditGrain>(0).GetWorkspaceHistory(key);
        Assert.All(notices, n => Assert.Contains(n.At, history.Select(h => h.At)));
        Assert.Equal(history.Single(h => h.EventType == "workspace.inferenceReady").At, notices[^1].At);

        // The log is read back on activation (replay): nothing is announced again.
        await kaito.RestartAsync();
        grain = kaito.Client.GetGrain<IWorkspaceGrain>(key);
        await grain.Reconcile(Watch);
        Assert.Equal(WorkspacePhase.Ready, (await grain.GetState()).Phase);
        Assert.Equal(LifeToReady.Length, kaito.Events.For(key).Count);

        await grain.RequestDeletion(Watch);
        await Eventually.ReturnsAsync(grain.GetState, v => v.Phase == WorkspacePhase.Deleted, Deadline, "Deleted");
        Assert.Equal([.. LifeToReady, "Deleting", "MachineDeleted"], kaito.Events.For(key).Select(n => n.Reason));
    }

    [Fact]
    public async Task A_recorder_that_fails_never_fails_the_command_or_the_reconcile()
    {
        await using var kaito = await KaitoTestCluster.StartAsync(configureMachines: KaitoTestCluster.FastMachines);
        kaito.Events.Failure = () => new HttpRequestException("the API server is away");
        var name = $"nofail-{Guid.NewGuid():N}"[..20];
        var grain = kaito.Client.GetGrain<IWorkspaceGrain>($"default/{name}");

        var result = await grain.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name), Watch));

        Assert.Equal(SpecApplyOutcome.Accepted, result.Outcome);
        await Eventually.ReturnsAsync(grain.GetState, v => v.Phase == WorkspacePhase.Ready, Deadline, "Ready despite the recorder");
        Assert.Empty(kaito.Events.Notices);
    }
}
