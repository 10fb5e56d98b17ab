using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>The tuning Job has an active pod: JobStarted=True.</summary>
[GenerateSerializer, Immutable, Alias("workspace.tuningJobStarted")]
public sealed record TuningJobStarted(EventContext Context) : WorkspaceEvent(Context)
{
    public override string Describe() => "JobStarted";
}
