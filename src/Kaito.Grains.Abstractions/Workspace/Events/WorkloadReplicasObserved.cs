using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>The ready replica count of the inference workload changed.</summary>
[GenerateSerializer, Immutable, Alias("workspace.workloadObserved")]
public sealed record WorkloadReplicasObserved(EventContext Context, [property: Id(0)] int ReadyReplicas, [property: Id(1)] int DesiredReplicas) : WorkspaceEvent(Context)
{
    public override string Describe() => $"{ReadyReplicas}/{DesiredReplicas} replicas ready";
}
