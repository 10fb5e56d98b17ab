namespace Kaito.Grains.Workspaces;

/// <summary>
/// When each boundary of the latest cold start was recorded, taken from the events' own times as they are applied (so
/// it is a pure function of the event history). A new revision, or a new start after the workspace was Ready (a lost
/// node, a deleted workload), begins a new cold start.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class ColdStartTimes
{
    /// <summary>The revision was accepted (or the restart after Ready began).</summary>
    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? NodesRequestedAt { get; set; }

    public DateTimeOffset? NodesReadyAt { get; set; }

    public DateTimeOffset? WorkloadAppliedAt { get; set; }

    public DateTimeOffset? ScheduledAt { get; set; }

    public DateTimeOffset? ReadyAt { get; set; }
}
