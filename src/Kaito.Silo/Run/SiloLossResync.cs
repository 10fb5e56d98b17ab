using Kaito.CrdBridge.Watching;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kaito.Silo.Run;

/// <summary>
/// When the cluster declares a silo dead, pokes every known Workspace once: a grain that was mid-way through its work
/// on the lost silo (its timer and any one-way poke gone with it) activates on a silo that remains and reconciles now,
/// instead of at its next reminder. For every other grain the poke is a reconcile that finds nothing to do.
/// </summary>
internal sealed partial class SiloLossResync(
    IClusterMembershipService membership, WorkspaceUidIndex index, IWatchSink sink, ILogger<SiloLossResync> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        HashSet<SiloAddress>? dead = null;
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                var now = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress).ToList();
                if (dead is null)
                {
                    dead = [.. now]; // silos dead before this one started are nobody's news
                    continue;
                }

                var lost = now.Where(dead.Add).ToList();
                if (lost.Count == 0)
                {
                    continue;
                }

                var workspaces = index.All();
                LogResync(string.Join(", ", lost), workspaces.Count);
                await Parallel.ForEachAsync(workspaces, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = stoppingToken },
                    async (key, ct) =>
                    {
                        try
                        {
                            await sink.WorkloadChangedAsync(key, "silo-lost", ct);
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException)
                        {
                            LogPokeFailed(ex, key.ToString());
                        }
                    });
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silos} declared dead: poking {Count} Workspaces so that their grains continue elsewhere")]
    private partial void LogResync(string silos, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Poking Workspace {Key} after a silo loss failed")]
    private partial void LogPokeFailed(Exception exception, string key);
}
