namespace Kaito.Grains.Workspaces;

/// <summary>What the cluster says of a Workspace's workload: replicas for inference, the Job for tuning.</summary>
[GenerateSerializer, Immutable, Alias("workspace.workloadObservation")]
public sealed record WorkloadObservation(
    [property: Id(0)] int ReadyReplicas,
    [property: Id(1)] int DesiredReplicas,
    [property: Id(2)] bool JobActive = false,
    [property: Id(3)] bool JobSucceeded = false,
    [property: Id(4)] bool JobFailed = false,
    [property: Id(5)] string? JobFailureMessage = null);
