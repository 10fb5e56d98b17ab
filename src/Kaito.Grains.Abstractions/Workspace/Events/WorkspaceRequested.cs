using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>The first spec of a Workspace was accepted: revision 1.</summary>
/// <param name="InstanceTypeReason">Why the SKU, when the user did not name it (chosen by the grain, or filled in by the
/// defaulting webhook); null when the user chose it, and in events stored before it was kept.</param>
[GenerateSerializer, Immutable, Alias("workspace.requested")]
public sealed record WorkspaceRequested(
    EventContext Context,
    [property: Id(0)] WorkspaceSpecRecord Spec,
    [property: Id(1)] string? InstanceTypeReason = null) : WorkspaceEvent(Context)
{
    public override string Describe() => $"requested {Spec.Mode} on {Spec.NodeCount} x {Spec.InstanceType}, revision 1 ({Spec.ShortHash})"
        + (InstanceTypeReason is null ? "" : $"; instance type: {InstanceTypeReason}");
}
