using Kaito.Grains.EventLog;

namespace Kaito.Grains.Machines;

/// <summary>One attempt failed (cloud error or phase timeout); the next one waits for the backoff.</summary>
[GenerateSerializer, Immutable, Alias("machine.attemptFailed")]
public sealed record MachineAttemptFailed(EventContext Context, [property: Id(0)] int Attempt, [property: Id(1)] string Code, [property: Id(2)] string Message, [property: Id(3)] DateTimeOffset RetryAt) : MachineEvent(Context)
{
    public override string Describe() => $"attempt {Attempt} failed ({Code}): {Message}; retry at {RetryAt:O}";
}
