namespace Kaito.Grains.Machines;

/// <summary>A machine's current state, retries and deadlines included.</summary>
[GenerateSerializer, Immutable, Alias("machine.view")]
public sealed record MachineView(
    [property: Id(0)] string MachineId,
    [property: Id(1)] int Version,
    [property: Id(2)] MachinePhase Phase,
    [property: Id(3)] MachineSpecRecord? Spec,
    [property: Id(4)] int Attempt,
    [property: Id(5)] string? OperationId,
    [property: Id(6)] DateTimeOffset? PhaseDeadline,
    [property: Id(7)] DateTimeOffset? NextAttemptAt,
    [property: Id(8)] string? LastErrorCode,
    [property: Id(9)] string? LastErrorMessage,
    [property: Id(10)] string? NodeName,
    [property: Id(11)] int GpuCount,
    [property: Id(12)] DateTimeOffset? UpdatedAt,
    [property: Id(13)] int ReconcileFailures = 0);
