using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>The tuning Job succeeded: WorkspaceSucceeded=True.</summary>
[GenerateSerializer, Immutable, Alias("workspace.tuningJobSucceeded")]
public sealed record TuningJobSucceeded(EventContext Context) : WorkspaceEvent(Context)
{
    public override string Describe() => "tuning job succeeded, WorkspaceSucceeded";
}
