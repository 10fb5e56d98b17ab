using Kaito.Grains.EventLog;
using Kaito.Grains.Ports;

namespace Kaito.Grains.Machines;

/// <summary>
/// The cloud operation of a create or delete moved to another state. Recorded so that a restarted silo resumes
/// polling the same operation (and knows it already succeeded or failed) instead of starting a second one.
/// </summary>
[GenerateSerializer, Immutable, Alias("machine.operationProgressed")]
public sealed record MachineOperationProgressed(
    EventContext Context,
    [property: Id(0)] string OperationId,
    [property: Id(1)] NodeOperationState State,
    [property: Id(2)] string? Code,
    [property: Id(3)] string? Message) : MachineEvent(Context)
{
    public override string Describe() => Code is null
        ? $"operation {OperationId} {State}"
        : $"operation {OperationId} {State} ({Code}): {Message}";
}
