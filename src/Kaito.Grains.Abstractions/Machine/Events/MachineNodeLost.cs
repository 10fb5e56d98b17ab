using Kaito.Grains.EventLog;

namespace Kaito.Grains.Machines;

/// <summary>
/// The node of a Ready machine is gone from the cluster (deleted, reclaimed by the cloud). The machine releases what
/// is left of it; its Workspace then asks for a replacement under a new name.
/// </summary>
[GenerateSerializer, Immutable, Alias("machine.nodeLost")]
public sealed record MachineNodeLost(EventContext Context, [property: Id(0)] string NodeName) : MachineEvent(Context)
{
    public override string Describe() => $"node {NodeName} lost";
}
