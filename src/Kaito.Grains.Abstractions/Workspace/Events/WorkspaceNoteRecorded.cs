using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>An operator or a tool added a note to the audit trail.</summary>
[GenerateSerializer, Immutable, Alias("workspace.noteRecorded")]
public sealed record WorkspaceNoteRecorded(EventContext Context, [property: Id(0)] string Text) : WorkspaceEvent(Context)
{
    public override string Describe() => Text;
}
