using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using Kaito.Api.V1Alpha1;
using Kaito.CrdBridge.Hosting;
using Kaito.CrdBridge.Watching;
using Kaito.Grains.Ports;
using Kaito.Grains.Workspaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kaito.CrdBridge.Status;

/// <summary>
/// Writes a Workspace's conditions and worker nodes to its <c>/status</c> subresource, which is what
/// <c>kubectl get workspace</c> prints. Writes nothing when the object is gone, belongs to another UID (deleted and
/// re-created under the same name) or already carries this status. The write is a replace carrying the read's
/// resourceVersion, so a concurrent change is a 409 Conflict: read again and retry, a bounded number of times.
/// Most state changes leave the status as it was; the status this silo last wrote for a key is remembered, and a view
/// that would write the same status again costs no request at all. The first attempt starts from the object in the
/// <see cref="WorkspaceObjectCache"/> (what the watch or our last write saw) instead of reading it; a retry reads.
/// </summary>
public sealed partial class KubernetesStatusPublisher(IKubernetes client, TimeProvider clock, IOptions<CrdBridgeOptions> options,
    ILogger<KubernetesStatusPublisher> logger, WorkspaceObjectCache? objects = null) : IWorkspaceStatusPublisher
{
    private readonly ConcurrentDictionary<string, JsonObject> _written = new(StringComparer.Ordinal);

    public async Task PublishAsync(WorkspaceView view, CancellationToken cancellationToken = default)
    {
        var key = WorkspaceKey.Parse(view.Key);
        if (key.Uid is null)
        {
            LogNoObject(view.Key);
            return;
        }

        if (view.Phase == WorkspacePhase.Deleted)
        {
            _written.TryRemove(view.Key, out _);
        }
        else if (_written.TryGetValue(view.Key, out var last) && JsonNode.DeepEquals(last, WorkspaceStatusBuilder.Build(view, last, clock.GetUtcNow())))
        {
            return;
        }

        var attempts = options.Value.StatusConflictRetries + 1;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            var current = attempt == 1 && objects?.Find(key.Namespace, key.Name) is { } known && Uid(known) == key.Uid
                ? known
                : await ReadAsync(key, cancellationToken);
            if (current is null)
            {
                LogGone(view.Key);
                _written.TryRemove(view.Key, out _);
                return;
            }

            if (Uid(current) != key.Uid)
            {
                LogOtherUid(view.Key, Uid(current));
                return;
            }

            var stored = current["status"] as JsonObject;
            var desired = WorkspaceStatusBuilder.Build(view, stored, clock.GetUtcNow());
            if (JsonNode.DeepEquals(stored, desired))
            {
                _written[view.Key] = desired;
                return;
            }

            current["status"] = desired;
            try
            {
                var written = await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(current, Workspace.KubeGroup, Workspace.KubeVersion,
                    key.Namespace, Workspace.KubePlural, key.Name, cancellationToken: cancellationToken);
                if (objects is not null && JsonSerializer.SerializeToNode(written) is JsonObject newest)
                {
                    objects.Offer(newest);
                }

                LogWritten(view.Key, view.Version, view.Generation);
                _written[view.Key] = desired;
                return;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
            {
                LogConflict(view.Key, attempt);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
                LogGone(view.Key);
                _written.TryRemove(view.Key, out _);
                return;
            }
        }

        // The next state change or reconcile publishes again; the grain must not fail over a busy object.
        LogGaveUp(view.Key, attempts);
    }

    private static string? Uid(JsonObject obj) => obj["metadata"]?["uid"]?.ToString();

    private async Task<JsonObject?> ReadAsync(WorkspaceKey key, CancellationToken cancellationToken)
    {
        try
        {
            var obj = await client.CustomObjects.GetNamespacedCustomObjectAsync(Workspace.KubeGroup, Workspace.KubeVersion,
                key.Namespace, Workspace.KubePlural, key.Name, cancellationToken);
            return JsonSerializer.SerializeToNode(obj) as JsonObject;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Workspace {Key} has no object behind it (no UID); no status to write")]
    private partial void LogNoObject(string key);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Workspace {Key} is gone; status not written")]
    private partial void LogGone(string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Workspace {Key}: the object now has UID {Uid}; the old one's status is not written")]
    private partial void LogOtherUid(string key, string? uid);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Workspace {Key}: status written (version {Version}, generation {Generation})")]
    private partial void LogWritten(string key, int version, long generation);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Workspace {Key}: status write conflicted (attempt {Attempt}); reading again")]
    private partial void LogConflict(string key, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workspace {Key}: status not written after {Attempts} conflicting attempts")]
    private partial void LogGaveUp(string key, int attempts);
}
