namespace Kaito.Grains.Workspaces;

/// <summary>What the cluster says of a Workspace's workload: replicas for inference, the Job for tuning.</summary>
/// <param name="ProblemReason">Why a pod of the workload is not serving, as the kubelet says it (e.g. <c>CrashLoopBackOff</c>,
/// <c>OOMKilled</c>, <c>ImagePullBackOff</c>); null when no pod reports a problem.</param>
/// <param name="ProblemMessage">Which pod and what it said, for the InferenceReady condition.</param>
/// <param name="ScheduledPods">Pods of the workload bound to a node (a ready pod counts even when not listed).</param>
[GenerateSerializer, Immutable, Alias("workspace.workloadObservation")]
public sealed record WorkloadObservation(
    [property: Id(0)] int ReadyReplicas,
    [property: Id(1)] int DesiredReplicas,
    [property: Id(2)] bool JobActive = false,
    [property: Id(3)] bool JobSucceeded = false,
    [property: Id(4)] bool JobFailed = false,
    [property: Id(5)] string? JobFailureMessage = null,
    [property: Id(6)] string? ProblemReason = null,
    [property: Id(7)] string? ProblemMessage = null,
    [property: Id(8)] int ScheduledPods = 0);
