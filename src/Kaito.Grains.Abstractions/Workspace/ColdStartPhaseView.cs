namespace Kaito.Grains.Workspaces;

/// <summary>One phase of a Workspace's cold start: <c>Nodes</c>, <c>WorkloadScheduled</c>, <c>ImageAndModelLoad</c> or <c>Ready</c>.</summary>
/// <param name="FinishedAt">Null while the phase is still running.</param>
[GenerateSerializer, Immutable, Alias("workspace.coldStartPhase")]
public sealed record ColdStartPhaseView(
    [property: Id(0)] string Name,
    [property: Id(1)] DateTimeOffset StartedAt,
    [property: Id(2)] DateTimeOffset? FinishedAt)
{
    public TimeSpan? Duration => FinishedAt - StartedAt;
}
