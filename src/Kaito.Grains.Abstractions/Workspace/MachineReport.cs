using Kaito.Grains.Machines;

namespace Kaito.Grains.Workspaces;

/// <summary>A machine's phase change, sent to its owning Workspace.</summary>
[GenerateSerializer, Immutable, Alias("workspace.machineReport")]
public sealed record MachineReport(
    [property: Id(0)] string MachineId,
    [property: Id(1)] MachinePhase Phase,
    [property: Id(2)] string? NodeName,
    [property: Id(3)] string? ErrorCode,
    [property: Id(4)] string? ErrorMessage);
