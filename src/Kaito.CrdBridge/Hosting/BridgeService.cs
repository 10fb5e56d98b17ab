using Kaito.CrdBridge.Watching;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kaito.CrdBridge.Hosting;

/// <summary>
/// Runs the Workspace watcher and, once it has listed (so owners' UIDs are known) or after
/// <see cref="CrdBridgeOptions.WorkspaceSyncWait"/>, every cluster-object watcher, until the host stops. Pokes still
/// in flight end when the container disposes the <see cref="PokeDispatcher"/>.
/// </summary>
public sealed partial class BridgeService(WorkspaceWatcher workspaces, IEnumerable<IBridgeWatcher> watchers,
    TimeProvider clock, IOptions<CrdBridgeOptions> options, ILogger<BridgeService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new List<Task> { workspaces.RunAsync(stoppingToken) };
        try
        {
            await workspaces.Synced.WaitAsync(options.Value.WorkspaceSyncWait, clock, stoppingToken);
        }
        catch (TimeoutException)
        {
            LogNotSynced(options.Value.WorkspaceSyncWait);
        }
        catch (OperationCanceledException)
        {
            await Task.WhenAll(running);
            return;
        }

        running.AddRange(watchers.Select(w => w.RunAsync(stoppingToken)));
        LogStarted(running.Count);
        await Task.WhenAll(running);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workspaces not listed within {Wait}; starting the other watchers anyway")]
    private partial void LogNotSynced(TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Information, Message = "CRD bridge running {Count} watchers")]
    private partial void LogStarted(int count);
}
