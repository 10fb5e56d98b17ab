using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>A ready workload lost replicas (crash, OOM, eviction): InferenceReady=False again.</summary>
[GenerateSerializer, Immutable, Alias("workspace.inferenceUnready")]
public sealed record InferenceBecameUnready(EventContext Context, [property: Id(0)] string Reason) : WorkspaceEvent(Context)
{
    public override string Describe() => $"InferenceReady lost: {Reason}";
}
