using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>A changed spec was accepted and became a new revision.</summary>
[GenerateSerializer, Immutable, Alias("workspace.revisionCreated")]
public sealed record WorkspaceRevisionCreated(EventContext Context, [property: Id(0)] WorkspaceSpecRecord Spec, [property: Id(1)] int Revision) : WorkspaceEvent(Context)
{
    public override string Describe() => $"revision {Revision} ({Spec.ShortHash}) at generation {Context.Generation}";
}
