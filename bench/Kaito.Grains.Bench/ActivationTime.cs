using System.Diagnostics;
using Kaito.Grains.EventLog;
using Kaito.Grains.Workspaces;
using Orleans.TestingHost;

namespace Kaito.Grains.Bench;

/// <summary>Time to the first answer of a Workspace grain with 10,000 events: activation reads the head (with its snapshot) and the tail.</summary>
internal sealed class ActivationTime(InProcessTestCluster cluster, EventLogTable<WorkspaceState, WorkspaceEvent> log)
{
    /// <summary>10,000 events plus 99: the worst case past a snapshot taken every 100 events.</summary>
    public const int Events = 10_099;

    public async Task SeedAsync(string key)
    {
        var events = new List<WorkspaceEvent>(BenchEvents.ReadyWorkspace(key));
        events.AddRange(Enumerable.Range(0, Events - events.Count).Select(i => new WorkspaceNoteRecorded(BenchEvents.Context(i), $"note {i}")));
        var state = new WorkspaceState();
        var etag = default(Azure.ETag);
        var bounds = new List<int>();
        for (var v = 990; v < Events - 99; v += 990)
        {
            bounds.Add(v);
        }

        bounds.AddRange([Events - 99, Events]);
        var from = 0;
        foreach (var to in bounds)
        {
            var batch = events.GetRange(from, to - from);
            etag = await log.AppendAsync(key, batch, from, etag, state) ?? throw new InvalidOperationException("seed append lost a race");
            batch.ForEach(state.Apply);
            from = to;
        }
    }

    /// <summary>Activates the grain <paramref name="samples"/> times (deactivating in between); returns milliseconds per activation.</summary>
    public async Task<(List<double> Milliseconds, double RowsPerActivation)> MeasureAsync(string key, int samples)
    {
        var grain = cluster.Client.GetGrain<IWorkspaceGrain>(key);
        var times = new List<double>(samples);
        var siloLog = (EventLogTable<WorkspaceState, WorkspaceEvent>)cluster.GetSiloServiceProvider(cluster.Silos[0].SiloAddress)
            .GetService(typeof(EventLogTable<WorkspaceState, WorkspaceEvent>))!;
        var rowsBefore = siloLog.EventRowsReplayed;
        for (var i = 0; i < samples; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            var view = await grain.GetState();
            stopwatch.Stop();
            if (view.Version != Events)
            {
                throw new InvalidOperationException($"activated at version {view.Version}, expected {Events}");
            }

            times.Add(stopwatch.Elapsed.TotalMilliseconds);
            await cluster.DeactivateAsync(grain);
        }

        return (times, (siloLog.EventRowsReplayed - rowsBefore) / (double)samples);
    }
}
