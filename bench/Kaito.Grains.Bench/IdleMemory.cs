using Kaito.Grains.EventLog;
using Kaito.Grains.Workspaces;

namespace Kaito.Grains.Bench;

/// <summary>Managed heap per idle Workspace grain: activate many Ready workspaces and divide the heap growth.</summary>
internal sealed class IdleMemory(IClusterClient client, EventLogTable<WorkspaceState, WorkspaceEvent> log)
{
    public async Task SeedAsync(int count)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var key = Key(i);
            await log.AppendAsync(key, BenchEvents.ReadyWorkspace(key), 0, default, new WorkspaceState());
        });
    }

    public async Task<double> MeasureBytesPerGrainAsync(int count)
    {
        var before = SettledHeap();
        for (var i = 0; i < count; i += 100)
        {
            await Task.WhenAll(Enumerable.Range(i, Math.Min(100, count - i)).Select(n => client.GetGrain<IWorkspaceGrain>(Key(n)).GetState()));
        }

        var after = SettledHeap();
        var check = await client.GetGrain<IWorkspaceGrain>(Key(0)).GetState();
        if (check.Phase != WorkspacePhase.Ready)
        {
            throw new InvalidOperationException($"seeded workspace is {check.Phase}, expected Ready");
        }

        return (after - before) / (double)count;
    }

    private static string Key(int i) => $"bench-idle/ws-{i:D5}";

    private static long SettledHeap()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
