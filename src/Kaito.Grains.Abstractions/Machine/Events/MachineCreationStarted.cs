using Kaito.Grains.EventLog;

namespace Kaito.Grains.Machines;

/// <summary>The cloud accepted a create operation; the node must register before the deadline.</summary>
[GenerateSerializer, Immutable, Alias("machine.creationStarted")]
public sealed record MachineCreationStarted(EventContext Context, [property: Id(0)] string OperationId, [property: Id(1)] int Attempt, [property: Id(2)] DateTimeOffset Deadline) : MachineEvent(Context)
{
    public override string Describe() => $"creating (attempt {Attempt}, operation {OperationId}), node due by {Deadline:O}";
}
