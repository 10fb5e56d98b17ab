using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>The workload (Deployment, StatefulSet or Job) of a revision was applied to the cluster.</summary>
[GenerateSerializer, Immutable, Alias("workspace.workloadApplied")]
public sealed record WorkloadApplied(EventContext Context, [property: Id(0)] string RevisionHash, [property: Id(1)] string WorkloadKind) : WorkspaceEvent(Context)
{
    public override string Describe() => $"{WorkloadKind} applied for revision {RevisionHash[..Math.Min(5, RevisionHash.Length)]}";
}
