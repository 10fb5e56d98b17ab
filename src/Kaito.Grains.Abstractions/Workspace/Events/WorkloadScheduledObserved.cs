using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>Every pod of the applied workload is bound to a node: the end of the WorkloadScheduled cold-start phase.</summary>
[GenerateSerializer, Immutable, Alias("workspace.workloadScheduled")]
public sealed record WorkloadScheduledObserved(EventContext Context, [property: Id(0)] int ScheduledPods, [property: Id(1)] int DesiredPods) : WorkspaceEvent(Context)
{
    public override string Describe() => $"{ScheduledPods}/{DesiredPods} pod(s) scheduled";
}
