namespace Kaito.Grains.Workspaces;

[GenerateSerializer, Immutable, Alias("workspace.machineView")]
public sealed record WorkspaceMachineView(
    [property: Id(0)] string MachineId,
    [property: Id(1)] string InstanceType,
    [property: Id(2)] bool Ready,
    [property: Id(3)] string? NodeName,
    [property: Id(4)] bool Deleted,
    [property: Id(5)] bool Failed = false);
