using Kaito.Grains.EventLog;
using Kaito.Grains.Machines;
using Kaito.Grains.Tests.Infrastructure;
using Kaito.Grains.Workspaces;

namespace Kaito.Grains.Tests.EventLog;

/// <summary>
/// Two activations of one Workspace in two clusters make real decisions at once (ApplySpec, ObserveMachine,
/// RequestDeletion): the right one is let in first (412 for the left), and the left one decides again from the fresh
/// state instead of writing what it decided on the old one. Each test checks the exact stored sequence.
/// </summary>
public sealed class LostRaceTests(TwoClustersFixture fixture) : IClassFixture<TwoClustersFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly CommandSource Watch = new(Actors.KubernetesWatch, "watch:modified");
    private static readonly CommandSource Api = new(Actors.Api("heidi"), "api:delete");

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private static MachineReport Ready(string machineId) => new(machineId, MachinePhase.Ready, $"aks-{machineId}", null, null);

    private async Task<(IWorkspaceGrain Left, IWorkspaceGrain Right, WorkspaceView Seeded)> SeedAsync(string name, int nodes)
    {
        var right = fixture.Right.Client.GetGrain<IWorkspaceGrain>($"default/{name}");
        Assert.Equal(SpecApplyOutcome.Accepted, (await right.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name, count: nodes), Watch))).Outcome);
        var seeded = await Eventually.ReturnsAsync(right.GetState, v => v.Machines.Count == nodes, Deadline, "the machines are requested");
        var left = fixture.Left.Client.GetGrain<IWorkspaceGrain>($"default/{name}");
        Assert.Equal(seeded.Version, (await left.GetState()).Version);
        return (left, right, seeded);
    }

    /// <summary>ObserveMachine is one-way: wait until the grain has taken it in.</summary>
    private static async Task ObserveAsync(IWorkspaceGrain grain, MachineReport report, Func<WorkspaceView, bool> taken)
    {
        await grain.ObserveMachine(report);
        await Eventually.ReturnsAsync(grain.GetState, taken, Deadline, $"the grain takes in {report.MachineId} {report.Phase}");
    }

    private static Func<WorkspaceView, bool> IsReady(string machineId) => v => v.Machines.Any(m => m.MachineId == machineId && m.Ready);

    private async Task<List<string>> StoredAsync(string name)
    {
        var history = await fixture.Right.Client.GetGrain<IWorkspaceAuditGrain>(0).GetWorkspaceHistory($"default/{name}");
        Assert.Equal(Enumerable.Range(1, history.Count), history.Select(h => h.Version));
        return [.. history.Select(h => h.EventType)];
    }

    private async Task<List<string>> StoredWhenDeletedAsync(string name, IWorkspaceGrain right)
    {
        await Eventually.ReturnsAsync(right.GetState, v => v.Phase == WorkspacePhase.Deleted, Deadline, "the workspace is deleted");
        return await StoredAsync(name);
    }

    [Fact]
    public async Task ApplySpec_that_loses_to_RequestDeletion_decides_again_and_is_ignored()
    {
        var name = NewName("spec-del");
        var (left, right, _) = await SeedAsync(name, nodes: 1);

        fixture.LeftFaults.BeforeNextBatch(() => right.RequestDeletion(Api));
        var result = await left.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name, generation: 2, config: "my-inference-params"), Watch));

        Assert.Equal(SpecApplyOutcome.Ignored, result.Outcome);
        Assert.Equal(
            ["workspace.requested", "workspace.machineRequested", "workspace.deletionRequested", "workspace.machineDeleted", "workspace.deleted"],
            await StoredWhenDeletedAsync(name, right));
    }

    [Fact]
    public async Task ObserveMachine_that_loses_to_RequestDeletion_decides_again_and_records_nothing()
    {
        var name = NewName("obs-del");
        var (left, right, seeded) = await SeedAsync(name, nodes: 1);

        fixture.LeftFaults.BeforeNextBatch(() => right.RequestDeletion(Api));
        await ObserveAsync(left, Ready(seeded.Machines[0].MachineId), v => v.Phase is WorkspacePhase.Deleting or WorkspacePhase.Deleted);

        Assert.Equal(
            ["workspace.requested", "workspace.machineRequested", "workspace.deletionRequested", "workspace.machineDeleted", "workspace.deleted"],
            await StoredWhenDeletedAsync(name, right));
    }

    [Fact]
    public async Task ApplySpec_that_loses_to_ObserveMachine_decides_again_on_the_fresh_state()
    {
        var name = NewName("spec-obs");
        var (left, right, seeded) = await SeedAsync(name, nodes: 2);

        var machine = seeded.Machines[0].MachineId;
        fixture.LeftFaults.BeforeNextBatch(() => ObserveAsync(right, Ready(machine), IsReady(machine)));
        var result = await left.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name, generation: 2, count: 2, config: "my-inference-params"), Watch));

        Assert.Equal(SpecApplyOutcome.Accepted, result.Outcome);
        Assert.Equal(2, result.Revision);
        Assert.Equal(
            ["workspace.requested", "workspace.machineRequested", "workspace.machineRequested", "workspace.machineReady", "workspace.revisionCreated"],
            await StoredAsync(name));
        var view = await left.GetState();
        Assert.Equal(1, view.Machines.Count(m => m.Ready));
        Assert.Equal(2, view.Revision);
    }

    [Fact]
    public async Task ObserveMachine_and_RequestDeletion_that_lose_to_ApplySpec_and_ObserveMachine_decide_again()
    {
        var name = NewName("obs-spec");
        var (left, right, seeded) = await SeedAsync(name, nodes: 3);
        var (first, second) = (seeded.Machines[0].MachineId, seeded.Machines[1].MachineId);

        fixture.LeftFaults.BeforeNextBatch(() => right.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", name, generation: 2, count: 3, config: "my-inference-params"), Watch)));
        await ObserveAsync(left, Ready(second), IsReady(second));
        Assert.Equal(
            ["workspace.requested", "workspace.machineRequested", "workspace.machineRequested", "workspace.machineRequested", "workspace.revisionCreated", "workspace.machineReady"],
            await StoredAsync(name));

        fixture.LeftFaults.BeforeNextBatch(() => ObserveAsync(right, Ready(first), IsReady(first)));
        await left.RequestDeletion(Api);

        Assert.Equal(
            ["workspace.requested", "workspace.machineRequested", "workspace.machineRequested", "workspace.machineRequested", "workspace.revisionCreated",
             "workspace.machineReady", "workspace.machineReady", "workspace.deletionRequested",
             "workspace.machineDeleted", "workspace.machineDeleted", "workspace.machineDeleted", "workspace.deleted"],
            await StoredWhenDeletedAsync(name, left));
    }
}
