using Kaito.Grains.EventLog;

namespace Kaito.Grains.Machines;

/// <summary>The Machine aggregate as the event log sees it.</summary>
public sealed class MachineAggregate : IAggregateDefinition<MachineState, MachineEvent>
{
    public static MachineAggregate Instance { get; } = new();

    public string Kind => "machine";

    public int SnapshotSchema => 1;

    public void Apply(MachineState state, MachineEvent e) => state.Apply(e);

    public string PhaseOf(MachineState state) => state.Phase.ToString();

    public string Summarize(MachineState state) =>
        $"{state.Phase}: {state.Spec?.InstanceType} for {state.Spec?.OwnerWorkspace}, attempt {state.Attempt}"
        + (state.LastErrorCode is { } code ? $", last error {code}" : "");
}
