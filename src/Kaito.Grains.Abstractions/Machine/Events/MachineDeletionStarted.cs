using Kaito.Grains.EventLog;

namespace Kaito.Grains.Machines;

/// <summary>The cloud accepted a delete operation.</summary>
[GenerateSerializer, Immutable, Alias("machine.deletionStarted")]
public sealed record MachineDeletionStarted(EventContext Context, [property: Id(0)] string OperationId) : MachineEvent(Context)
{
    public override string Describe() => $"deleting (operation {OperationId})";
}
