using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>Every machine is gone; the finalizer can go and the Workspace is finished.</summary>
[GenerateSerializer, Immutable, Alias("workspace.deleted")]
public sealed record WorkspaceDeleted(EventContext Context) : WorkspaceEvent(Context)
{
    public override string Describe() => "deleted";
}
