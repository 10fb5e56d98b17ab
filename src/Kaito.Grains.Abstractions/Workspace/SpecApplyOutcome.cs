namespace Kaito.Grains.Workspaces;

public enum SpecApplyOutcome
{
    /// <summary>A new revision was recorded.</summary>
    Accepted,
    /// <summary>The same spec or an older generation: nothing was recorded.</summary>
    Unchanged,
    /// <summary>The spec broke a validation rule; the rejection was recorded, the accepted revision stays.</summary>
    Rejected,
    /// <summary>The Workspace is being deleted; specs are no longer taken.</summary>
    Ignored,
}
