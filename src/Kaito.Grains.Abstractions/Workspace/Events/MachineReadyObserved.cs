using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>A machine of the Workspace reported its node ready.</summary>
[GenerateSerializer, Immutable, Alias("workspace.machineReady")]
public sealed record MachineReadyObserved(EventContext Context, [property: Id(0)] string MachineId, [property: Id(1)] string NodeName) : WorkspaceEvent(Context)
{
    public override string Describe() => $"machine {MachineId} ready as node {NodeName}";
}
