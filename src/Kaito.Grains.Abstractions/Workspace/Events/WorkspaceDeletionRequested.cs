using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>The Workspace is being deleted: WorkspaceDeleting=True; its machines go first.</summary>
[GenerateSerializer, Immutable, Alias("workspace.deletionRequested")]
public sealed record WorkspaceDeletionRequested(EventContext Context) : WorkspaceEvent(Context)
{
    public override string Describe() => "deletion requested";
}
