using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>
/// A machine of this Workspace failed for good (its own attempts ran out, or the error cannot be retried). The
/// workspace is Failed; when <paramref name="RetryAt"/> is set it releases the machine and requests replacement
/// number <paramref name="Retry"/> at that time (capped exponential backoff with jitter), as upstream keeps retrying.
/// </summary>
[GenerateSerializer, Immutable, Alias("workspace.machineFailed")]
public sealed record MachineFailureObserved(
    EventContext Context,
    [property: Id(0)] string MachineId,
    [property: Id(1)] string Code,
    [property: Id(2)] string Message,
    [property: Id(3)] int Retry,
    [property: Id(4)] DateTimeOffset? RetryAt) : WorkspaceEvent(Context)
{
    public override string Describe() => RetryAt is { } at
        ? $"Machine {MachineId} failed ({Code}: {Message}); replacement {Retry} due at {at:O}"
        : $"Machine {MachineId} failed ({Code}: {Message}); no replacement left";
}
