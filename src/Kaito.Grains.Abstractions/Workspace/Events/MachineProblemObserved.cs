using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>
/// A machine of this Workspace reported a failed attempt (the provisioner's code and message, e.g. a quota), so that
/// ResourceReady says why the node is not there yet instead of "Provisioning".
/// </summary>
[GenerateSerializer, Immutable, Alias("workspace.machineProblem")]
public sealed record MachineProblemObserved(
    EventContext Context,
    [property: Id(0)] string MachineId,
    [property: Id(1)] string Code,
    [property: Id(2)] string Message) : WorkspaceEvent(Context)
{
    public override string Describe() => $"Machine {MachineId}: {Code}: {Message}";
}
