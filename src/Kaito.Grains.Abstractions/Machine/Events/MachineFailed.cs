using Kaito.Grains.EventLog;

namespace Kaito.Grains.Machines;

/// <summary>The machine gave up: retries exhausted or a permanent cloud error.</summary>
[GenerateSerializer, Immutable, Alias("machine.failed")]
public sealed record MachineFailed(EventContext Context, [property: Id(0)] string Code, [property: Id(1)] string Message, [property: Id(2)] int Attempt) : MachineEvent(Context)
{
    public override string Describe() => $"failed on attempt {Attempt} ({Code}): {Message}";
}
