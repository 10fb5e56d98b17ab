namespace Kaito.Grains.Workspaces;

/// <summary>
/// A Workspace's current state, for queries and for the status publisher. Retry counts included: replacement machines
/// (in the log), consecutive failed reconcile passes and status publishes (in memory, since the activation), and the
/// phases of the latest cold start (<see cref="ColdStart"/>, from the log).
/// </summary>
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
    [property: Id(15)] DateTimeOffset? UpdatedAt,
    [property: Id(16)] int MachineRetries = 0,
    [property: Id(17)] DateTimeOffset? NextMachineRetryAt = null,
    [property: Id(18)] int ReconcileFailures = 0,
    [property: Id(19)] int PublishFailures = 0,
    [property: Id(20)] IReadOnlyList<ColdStartPhaseView>? ColdStart = null);
