using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>The Workspace aggregate as the event log sees it.</summary>
public sealed class WorkspaceAggregate : IAggregateDefinition<WorkspaceState, WorkspaceEvent>
{
    public static WorkspaceAggregate Instance { get; } = new();

    public string Kind => "workspace";

    public int SnapshotSchema => 1;

    public void Apply(WorkspaceState state, WorkspaceEvent e) => state.Apply(e);

    public string PhaseOf(WorkspaceState state) => state.Phase.ToString();

    public string Summarize(WorkspaceState state) => state.Spec is { } spec
        ? $"{state.Phase}: {spec.Mode} {spec.PresetName ?? "template"} on {state.ReadyMachineCount}/{spec.NodeCount} x {spec.InstanceType}, revision {state.Revision}"
            + (state.FailureReason is { } reason ? $", failed: {reason}" : "")
        : state.Phase.ToString();
}
