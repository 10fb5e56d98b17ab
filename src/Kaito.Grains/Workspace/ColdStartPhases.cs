namespace Kaito.Grains.Workspaces;

/// <summary>
/// The phases of a Workspace's latest cold start (upstream kaito#2325), from the times its events recorded:
/// <c>Nodes</c> (machines requested to every node ready), <c>WorkloadScheduled</c> (workload applied to every pod bound
/// to a node), <c>ImageAndModelLoad</c> (scheduled to every replica Ready: image pull, weights, server start) and
/// <c>Ready</c> (the whole cold start: revision accepted to WorkspaceSucceeded). A phase appears once it has started;
/// it has no end while it runs. Pure.
/// </summary>
public static class ColdStartPhases
{
    public const string Nodes = "Nodes";
    public const string WorkloadScheduled = "WorkloadScheduled";
    public const string ImageAndModelLoad = "ImageAndModelLoad";
    public const string Ready = "Ready";

    public static IReadOnlyList<ColdStartPhaseView> Of(ColdStartTimes? times)
    {
        if (times is null)
        {
            return [];
        }

        var phases = new List<ColdStartPhaseView>();
        Add(phases, Nodes, times.NodesRequestedAt, times.NodesReadyAt);
        Add(phases, WorkloadScheduled, times.WorkloadAppliedAt, times.ScheduledAt);
        Add(phases, ImageAndModelLoad, times.ScheduledAt, times.ReadyAt);
        Add(phases, Ready, times.StartedAt, times.ReadyAt);
        return phases;
    }

    private static void Add(List<ColdStartPhaseView> phases, string name, DateTimeOffset? started, DateTimeOffset? finished)
    {
        if (started is { } start)
        {
            phases.Add(new ColdStartPhaseView(name, start, finished));
        }
    }
}
