using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>Every replica is ready: InferenceReady=True and WorkspaceSucceeded=True.</summary>
[GenerateSerializer, Immutable, Alias("workspace.inferenceReady")]
public sealed record InferenceBecameReady(EventContext Context) : WorkspaceEvent(Context)
{
    public override string Describe() => "InferenceReady, WorkspaceSucceeded";
}
