using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Kaito.Api.V1Alpha1;
using Kaito.CrdBridge.Hosting;
using Kaito.Grains.Workspaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kaito.CrdBridge.Watching;

/// <summary>
/// Watches kaito.sh/v1alpha1 Workspaces: a live object goes to the sink as its full JSON (ApplySpec), an object with a
/// deletionTimestamp as RequestDeletion; keyed <c>namespace/name/uid</c>. Keeps the <see cref="WorkspaceUidIndex"/>.
/// A MODIFIED event whose generation was already delivered (a status or metadata write) is skipped; a resync is not.
/// Events are handed on through a <see cref="KeyedWorkQueue"/>: in order per Workspace, different Workspaces side by
/// side, so the watch never waits for a grain. Every object seen also goes to the <see cref="WorkspaceObjectCache"/>.
/// </summary>
public sealed partial class WorkspaceWatcher : IBridgeWatcher, IResourceEventHandler
{
    private readonly ResourceWatcher _watcher;
    private readonly IWatchSink _sink;
    private readonly WorkspaceUidIndex _index;
    private readonly ILogger<WorkspaceWatcher> _logger;
    private readonly WorkspaceObjectCache? _objects;
    private readonly KeyedWorkQueue _handOn;
    private readonly TimeSpan _retryBase;
    private readonly TimeSpan _retryCap;
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The generation handed on per UID; set by the watch loop, cleared when handing it on failed.</summary>
    private readonly ConcurrentDictionary<string, long> _delivered = new(StringComparer.Ordinal);

    public WorkspaceWatcher(ResourceWatcherFactory watchers, IWatchSink sink, WorkspaceUidIndex index,
        IOptions<CrdBridgeOptions> options, ILogger<WorkspaceWatcher> logger, WorkspaceObjectCache? objects = null)
    {
        _watcher = watchers.Create(WatchedResource.Workspaces(options.Value.Namespace));
        _sink = sink;
        _index = index;
        _logger = logger;
        _objects = objects;
        _handOn = new KeyedWorkQueue(options.Value.WorkspaceConcurrency, logger);
        _retryBase = options.Value.BackoffBase;
        _retryCap = options.Value.BackoffCap;
        Synced = SyncedAsync();
    }

    /// <summary>
    /// Completes once the first list has been delivered (every Workspace's UID is in the index) and every listed
    /// Workspace's grain has answered.
    /// </summary>
    public Task Synced { get; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _watcher.RunAsync(this, cancellationToken);
        }
        finally
        {
            await _stopping.CancelAsync();
            await _handOn.DisposeAsync();
        }
    }

    private async Task SyncedAsync()
    {
        await _watcher.Synced;
        await _handOn.WhenIdleAsync();
    }

    public Task HandleAsync(ResourceEvent resourceEvent, CancellationToken cancellationToken)
    {
        if (resourceEvent is not { Namespace: { } ns, Name: { } name, Uid: { } uid })
        {
            LogIncomplete(resourceEvent.Type, resourceEvent.DisplayName);
            return Task.CompletedTask;
        }

        var key = new WorkspaceKey(ns, name, uid);
        if (resourceEvent.Type == ResourceEventType.Deleted)
        {
            _index.Remove(ns, name, uid);
            _delivered.TryRemove(uid, out _);
            _objects?.Remove(ns, name);
            LogGone(key.ToString());

            // Gone without our finalizer having run (deleted before it was added, or removed by hand): the grain still
            // releases what it owns. For a workspace whose deletion already finished this is a no-op.
            _handOn.Enqueue(key.ToString(), ct => _sink.RequestDeletionAsync(key, "watch:deleted", ct));
            return Task.CompletedTask;
        }

        _index.Set(ns, name, uid, resourceEvent.ResourceVersion);
        _objects?.Offer(resourceEvent.Object);
        var cause = "watch:" + resourceEvent.Type.ToString().ToLowerInvariant();
        if (resourceEvent.IsBeingDeleted)
        {
            _handOn.Enqueue(key.ToString(), ct => _sink.RequestDeletionAsync(key, cause, ct));
            return Task.CompletedTask;
        }

        var generation = resourceEvent.Generation ?? 0;
        if (resourceEvent.Type == ResourceEventType.Modified && _delivered.TryGetValue(uid, out var seen) && seen == generation)
        {
            return Task.CompletedTask;
        }

        // Marked as handed on now, so the status writes that follow do not queue it again.
        _delivered[uid] = generation;
        HandOnSpec(key, uid, generation, Document(resourceEvent.Object), cause, 0);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Hands a spec on; when that fails (the silo holding the grain died mid-call), unmarks it, so that the next event
    /// of that generation hands it on again, and retries it after a capped backoff unless a newer generation was handed
    /// on or the Workspace was deleted meanwhile: for a new Workspace no further event may come until the resync.
    /// </summary>
    private void HandOnSpec(WorkspaceKey key, string uid, long generation, string document, string cause, int attempt)
    {
        _handOn.Enqueue(key.ToString(), ct => _sink.ApplySpecAsync(key, document, cause, ct), failure =>
        {
            _delivered.TryRemove(new KeyValuePair<string, long>(uid, generation));
            _ = RetryAsync();
        });

        async Task RetryAsync()
        {
            var delay = TimeSpan.FromTicks(Math.Min(_retryCap.Ticks, _retryBase.Ticks * (1L << Math.Min(attempt, 20))));
            try
            {
                await Task.Delay(delay, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (_index.Find(key.Namespace, key.Name) == uid && _delivered.TryAdd(uid, generation))
            {
                LogRetry(key.ToString(), attempt + 1);
                HandOnSpec(key, uid, generation, document, cause, attempt + 1);
            }
        }
    }

    /// <summary>The object as the grain reads it: apiVersion and kind filled in, managedFields (large, useless) left out.</summary>
    private static string Document(JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        copy["apiVersion"] ??= Workspace.KubeApiVersion;
        copy["kind"] ??= Workspace.KubeKind;
        (copy["metadata"] as JsonObject)?.Remove("managedFields");
        return copy.ToJsonString();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipping a {Type} Workspace event without namespace, name or uid: {Object}")]
    private partial void LogIncomplete(ResourceEventType type, string @object);

    [LoggerMessage(Level = LogLevel.Information, Message = "Handing Workspace {Key} on again (retry {Attempt})")]
    private partial void LogRetry(string key, int attempt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Workspace {Key} is gone from the API server")]
    private partial void LogGone(string key);
}
