namespace Kaito.Grains.Workspaces;

/// <summary>A Workspace's current state, for queries and for the status publisher.</summary>
[GenerateSerializer, Immutable, Alias("workspace.view")]
public sealed record WorkspaceView(
    [property: Id(0)] string Key,
    [property: Id(1)] int Version,
    [property: Id(2)] WorkspacePhase Phase,
    [property: Id(3)] long Generation,
    [property: Id(4)] int Revision,
    [property: Id(5)] string? RevisionHash,
    [property: Id(6)] WorkspaceMode? Mode,
    [property: Id(7)] string? InstanceType,
    [property: Id(8)] int TargetNodeCount,
    [property: Id(9)] IReadOnlyList<string> WorkerNodes,
    [property: Id(10)] IReadOnlyList<WorkspaceMachineView> Machines,
    [property: Id(11)] IReadOnlyList<WorkspaceConditionView> Conditions,
    [property: Id(12)] string? FailureReason,
    [property: Id(13)] string? FailureMessage,
    [property: Id(14)] string? RejectionMessage,
    [property: Id(15)] DateTimeOffset? UpdatedAt);
