using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>The Workspace asked for one more GPU node.</summary>
[GenerateSerializer, Immutable, Alias("workspace.machineRequested")]
public sealed record MachineProvisioningRequested(EventContext Context, [property: Id(0)] string MachineId, [property: Id(1)] string InstanceType) : WorkspaceEvent(Context)
{
    public override string Describe() => $"machine {MachineId} ({InstanceType}) requested";
}
