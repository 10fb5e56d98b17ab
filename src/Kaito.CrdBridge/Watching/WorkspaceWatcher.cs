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
/// </summary>
public sealed partial class WorkspaceWatcher : IBridgeWatcher, IResourceEventHandler
{
    private readonly ResourceWatcher _watcher;
    private readonly IWatchSink _sink;
    private readonly WorkspaceUidIndex _index;
    private readonly ILogger<WorkspaceWatcher> _logger;

    /// <summary>The generation last delivered per UID; only touched by the one watch loop.</summary>
    private readonly Dictionary<string, long> _delivered = new(StringComparer.Ordinal);

    public WorkspaceWatcher(ResourceWatcherFactory watchers, IWatchSink sink, WorkspaceUidIndex index,
        IOptions<CrdBridgeOptions> options, ILogger<WorkspaceWatcher> logger)
    {
        _watcher = watchers.Create(WatchedResource.Workspaces(options.Value.Namespace));
        _sink = sink;
        _index = index;
        _logger = logger;
    }

    /// <summary>Completes once the first list has been delivered (every Workspace's UID is in the index).</summary>
    public Task Synced => _watcher.Synced;

    public Task RunAsync(CancellationToken cancellationToken) => _watcher.RunAsync(this, cancellationToken);

    public async Task HandleAsync(ResourceEvent resourceEvent, CancellationToken cancellationToken)
    {
        if (resourceEvent is not { Namespace: { } ns, Name: { } name, Uid: { } uid })
        {
            LogIncomplete(resourceEvent.Type, resourceEvent.DisplayName);
            return;
        }

        var key = new WorkspaceKey(ns, name, uid);
        if (resourceEvent.Type == ResourceEventType.Deleted)
        {
            _index.Remove(ns, name, uid);
            _delivered.Remove(uid);
            LogGone(key.ToString());

            // Gone without our finalizer having run (deleted before it was added, or removed by hand): the grain still
            // releases what it owns. For a workspace whose deletion already finished this is a no-op.
            await _sink.RequestDeletionAsync(key, "watch:deleted", cancellationToken);
            return;
        }

        _index.Set(ns, name, uid, resourceEvent.ResourceVersion);
        var cause = "watch:" + resourceEvent.Type.ToString().ToLowerInvariant();
        if (resourceEvent.IsBeingDeleted)
        {
            await _sink.RequestDeletionAsync(key, cause, cancellationToken);
            return;
        }

        var generation = resourceEvent.Generation ?? 0;
        if (resourceEvent.Type == ResourceEventType.Modified && _delivered.TryGetValue(uid, out var seen) && seen == generation)
        {
            return;
        }

        await _sink.ApplySpecAsync(key, Document(resourceEvent.Object), cause, cancellationToken);
        _delivered[uid] = generation;
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Workspace {Key} is gone from the API server")]
    private partial void LogGone(string key);
}
