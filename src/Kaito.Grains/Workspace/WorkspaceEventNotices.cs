using Kaito.Grains.Ports;

namespace Kaito.Grains.Workspaces;

/// <summary>
/// What each recorded Workspace event tells a <c>kubectl describe</c> reader, as Kubernetes Events: the reason, the
/// message and Normal or Warning. Events that only move counters (replica counts, notes) and the final deletion (the
/// object is gone by then) tell nothing there. Pure.
/// </summary>
public static class WorkspaceEventNotices
{
    /// <summary>Longer messages are cut: an Event is a line in <c>kubectl describe</c>, the audit history keeps the whole text.</summary>
    public const int MaxMessageLength = 1024;

    public static IReadOnlyList<WorkspaceEventNotice> For(string workspaceKey, WorkspaceEvent e)
    {
        var at = e.Context.At;
        WorkspaceEventNotice Normal(string reason, string message) => new(workspaceKey, KubernetesEventType.Normal, reason, Cut(message), at);
        WorkspaceEventNotice Warning(string reason, string message) => new(workspaceKey, KubernetesEventType.Warning, reason, Cut(message), at);
        return e switch
        {
            WorkspaceRequested x =>
            [
                Normal("RevisionAccepted", $"Accepted revision 1 ({x.Spec.ShortHash}): {Describe(x.Spec)}"),
                Normal("InstanceTypeSelected", InstanceType(x.Spec)),
            ],
            WorkspaceRevisionCreated x =>
            [
                Normal("RevisionAccepted", $"Accepted revision {x.Revision} ({x.Spec.ShortHash}) at generation {x.Context.Generation}: {Describe(x.Spec)}"),
                Normal("InstanceTypeSelected", InstanceType(x.Spec)),
            ],
            WorkspaceSpecRejected x => [Warning("SpecRejected", $"Generation {x.Context.Generation} rejected: {string.Join("; ", x.Errors)}")],
            MachineProvisioningRequested x => [Normal("MachineRequested", $"Requested machine {x.MachineId} ({x.InstanceType})")],
            MachineProblemObserved x => [Warning("MachineProblem", $"Machine {x.MachineId}: {x.Code}: {x.Message}")],
            MachineReadyObserved x => [Normal("NodeRegistered", $"Machine {x.MachineId} registered node {x.NodeName}, which is ready")],
            MachineFailureObserved x => [Warning("MachineFailed", x.Describe())],
            MachineDeletionObserved x => [Normal("MachineDeleted", $"Machine {x.MachineId} is gone")],
            ResourcesBecameReady x => [Normal("ResourceReady", $"{x.WorkerNodes.Length} node(s) ready: {string.Join(", ", x.WorkerNodes)}")],
            WorkloadApplied x => [Normal("WorkloadApplied", $"Applied the {x.WorkloadKind} for revision {x.RevisionHash[..Math.Min(5, x.RevisionHash.Length)]}")],
            WorkloadScheduledObserved x => [Normal("WorkloadScheduled", $"{x.ScheduledPods}/{x.DesiredPods} pod(s) scheduled")],
            WorkloadProblemObserved { Reason: { } reason } x => [Warning(reason, x.Message ?? reason)],
            WorkloadProblemObserved => [Normal("WorkloadProblemCleared", "No pod of the workload reports a problem any more")],
            InferenceBecameReady => [Normal("WorkspaceReady", "Every replica is ready: InferenceReady and WorkspaceSucceeded are True")],
            InferenceBecameUnready x => [Warning("InferenceUnready", $"InferenceReady is False: {x.Reason}")],
            TuningJobStarted => [Normal("JobStarted", "The tuning job has started")],
            TuningJobSucceeded => [Normal("WorkspaceSucceeded", "The tuning job succeeded")],
            WorkspaceFailed x => [Warning("WorkspaceFailed", $"{x.Reason}: {x.Message}")],
            WorkspaceDeletionRequested => [Normal("Deleting", "Deleting: the machines go first, then the finalizer")],
            _ => [],
        };
    }

    private static string Describe(WorkspaceSpecRecord spec) =>
        $"{spec.Mode.ToString().ToLowerInvariant()}{(spec.PresetName is { } preset ? $" of {preset}" : "")} on {spec.NodeCount} x {spec.InstanceType}";

    private static string InstanceType(WorkspaceSpecRecord spec) => $"Instance type {spec.InstanceType} for {spec.NodeCount} node(s)";

    private static string Cut(string message) => message.Length <= MaxMessageLength ? message : message[..(MaxMessageLength - 3)] + "...";
}
