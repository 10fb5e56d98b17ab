using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>The first spec of a Workspace was accepted: revision 1.</summary>
[GenerateSerializer, Immutable, Alias("workspace.requested")]
public sealed record WorkspaceRequested(EventContext Context, [property: Id(0)] WorkspaceSpecRecord Spec) : WorkspaceEvent(Context)
{
    public override string Describe() => $"requested {Spec.Mode} on {Spec.NodeCount} x {Spec.InstanceType}, revision 1 ({Spec.ShortHash})";
}
