using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>The Workspace cannot make progress without a change: a machine failed, the tuning job failed.</summary>
[GenerateSerializer, Immutable, Alias("workspace.failed")]
public sealed record WorkspaceFailed(EventContext Context, [property: Id(0)] string Reason, [property: Id(1)] string Message) : WorkspaceEvent(Context)
{
    public override string Describe() => $"failed ({Reason}): {Message}";
}
