using Kaito.Grains.EventLog;

namespace Kaito.Grains.Machines;

/// <summary>The node joined the cluster.</summary>
[GenerateSerializer, Immutable, Alias("machine.nodeRegistered")]
public sealed record MachineNodeRegistered(EventContext Context, [property: Id(0)] string NodeName, [property: Id(1)] DateTimeOffset Deadline) : MachineEvent(Context)
{
    public override string Describe() => $"node {NodeName} registered";
}
