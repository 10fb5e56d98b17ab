using System.Text.Json;
using Kaito.Grains.EventLog;
using Kaito.Grains.Machines;
using Kaito.Grains.Workspaces;
using static Kaito.Grains.Tests.Infrastructure.TestEvents;

namespace Kaito.Grains.Tests.EventLog;

/// <summary>Snapshots are state JSON: everything Apply built must come back, and nothing computed is stored.</summary>
public sealed class SnapshotJsonTests
{
    [Fact]
    public void Workspace_state_round_trips_through_snapshot_json()
    {
        var state = Workspace(
            new WorkspaceRequested(Context(), Spec(nodes: 2)),
            new MachineProvisioningRequested(Context(1), "ws1", "Standard_NC6s_v3"),
            new MachineProvisioningRequested(Context(1), "ws2", "Standard_NC6s_v3"),
            new MachineReadyObserved(Context(2), "ws1", "node-a"),
            new MachineReadyObserved(Context(2), "ws2", "node-b"),
            new ResourcesBecameReady(Context(3), ["node-a", "node-b"]),
            new WorkloadApplied(Context(4), "abcdef0123", "Deployment"),
            new WorkloadReplicasObserved(Context(5), 1, 2),
            new WorkspaceSpecRejected(Context(6, generation: 2), ["resource.count: field is immutable"]));

        var json = JsonSerializer.Serialize(state, EventLogJson.Options);
        var back = JsonSerializer.Deserialize<WorkspaceState>(json, EventLogJson.Options)!;

        Assert.DoesNotContain("isSettled", json);
        Assert.DoesNotContain("shortHash", json);
        Assert.Contains("\"phase\":\"DeployingWorkload\"", json);
        Assert.Equal(state.Phase, back.Phase);
        Assert.Equal(state.Spec, back.Spec! with { NodeLabels = state.Spec!.NodeLabels, PreferredNodes = state.Spec.PreferredNodes });
        Assert.Equal("phi-3", back.Spec!.NodeLabels["apps"]);
        Assert.Equal(["node-a", "node-b"], back.WorkerNodes);
        Assert.Equal(2, back.ReadyMachineCount);
        Assert.Equal("node-b", back.Machines["ws2"].NodeName);
        Assert.Equal((1, 2), (back.ReadyReplicas, back.DesiredReplicas));
        Assert.Equal(2, back.RejectedGeneration);
        Assert.Equal(state.UpdatedAt, back.UpdatedAt);
        Assert.Equal(state.AppliedRevisionHash, back.AppliedRevisionHash);
    }

    [Fact]
    public void Machine_state_round_trips_through_snapshot_json()
    {
        var state = Machine(
            new MachineRequested(Context(), MachineSpec()),
            new MachineAttemptFailed(Context(1), 1, "QuotaExceeded", "no quota", T0.AddSeconds(11)),
            new MachineCreationStarted(Context(12), "op-2", 2, T0.AddSeconds(252)));

        var back = JsonSerializer.Deserialize<MachineState>(JsonSerializer.Serialize(state, EventLogJson.Options), EventLogJson.Options)!;

        Assert.Equal(MachinePhase.Creating, back.Phase);
        Assert.Equal(2, back.Attempt);
        Assert.Equal("op-2", back.OperationId);
        Assert.Equal(T0.AddSeconds(252), back.PhaseDeadline);
        Assert.Equal("QuotaExceeded", back.LastErrorCode);
        Assert.Equal("sku=gpu:NoSchedule", back.Spec!.Taints[0]);
        Assert.Equal("default/ws", back.Spec.OwnerWorkspace);
    }
}
