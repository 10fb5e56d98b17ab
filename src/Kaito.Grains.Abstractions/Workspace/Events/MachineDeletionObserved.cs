using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>A machine of the Workspace is gone.</summary>
[GenerateSerializer, Immutable, Alias("workspace.machineDeleted")]
public sealed record MachineDeletionObserved(EventContext Context, [property: Id(0)] string MachineId) : WorkspaceEvent(Context)
{
    public override string Describe() => $"machine {MachineId} deleted";
}
