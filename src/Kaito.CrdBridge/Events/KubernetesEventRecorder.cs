using System.Diagnostics;
using System.Threading.Channels;
using Kaito.CrdBridge.Objects;
using Kaito.Grains.Ports;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kaito.CrdBridge.Events;

/// <summary>
/// The grains' <see cref="IWorkspaceEventRecorder"/>: queues notices (never waiting on the API server) and writes them
/// in order on a background loop through <see cref="KubernetesEventWriter"/>, as client-go's broadcaster does. A write
/// that fails is logged and dropped; a full queue drops the new notice. With an <see cref="ObjectWritePriority"/>, each
/// write waits until the object port's applies pause (at most <see cref="ObjectWritePriority.DefaultMaxDelay"/>), so that a burst
/// of workspaces gets its Deployments and Services before its Events.
/// </summary>
public sealed partial class KubernetesEventRecorder(KubernetesEventWriter writer, ILogger<KubernetesEventRecorder> logger,
    ObjectWritePriority? priority = null)
    : BackgroundService, IWorkspaceEventRecorder
{
    /// <summary>
    /// Notices held while the object port's applies run: a burst of a few thousand workspaces (about six Events each
    /// on the way to Ready) fits, so a burst delays its Events but never drops them. A notice is a few hundred bytes.
    /// </summary>
    public const int QueueCapacity = 20_000;

    private readonly Channel<(WorkspaceEventNotice Notice, long QueuedAt)> _queue = Channel.CreateBounded<(WorkspaceEventNotice, long)>(
        new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    public Task RecordAsync(IReadOnlyList<WorkspaceEventNotice> notices, CancellationToken cancellationToken = default)
    {
        foreach (var notice in notices)
        {
            if (!_queue.Writer.TryWrite((notice, Stopwatch.GetTimestamp())))
            {
                LogQueueFull(notice.WorkspaceKey, notice.Reason);
            }
        }

        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (notice, queuedAt) in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                if (priority is not null)
                {
                    await priority.WaitForTurnAsync(queuedAt, stoppingToken);
                }

                try
                {
                    await writer.WriteAsync(notice, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogWriteFailed(ex, notice.WorkspaceKey, notice.Reason);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is still queued is dropped (Events are best effort).
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kubernetes Event {Reason} for Workspace {WorkspaceKey} dropped: the queue is full")]
    private partial void LogQueueFull(string workspaceKey, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kubernetes Event {Reason} for Workspace {WorkspaceKey} could not be written; dropped")]
    private partial void LogWriteFailed(Exception exception, string workspaceKey, string reason);
}
