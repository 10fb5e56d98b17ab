using System.Net;
using System.Text.Json.Nodes;
using Kaito.CrdBridge.Hosting;
using Kaito.Grains.Telemetry;
using Microsoft.Extensions.Logging;

namespace Kaito.CrdBridge.Watching;

/// <summary>
/// List, then watch from the list's resourceVersion, for ever: BOOKMARKs advance the resourceVersion; 410 Gone (an
/// HTTP status or an ERROR event) re-lists, delivering every listed object as <see cref="ResourceEventType.Resync"/>
/// and a <see cref="ResourceEventType.Deleted"/> for each object that vanished between the lists; a closed watch
/// reconnects; a failure reconnects after a capped exponential backoff with jitter; a resource the server does not
/// serve (404, e.g. a CRD not installed) is looked for again after <see cref="CrdBridgeOptions.MissingResourceRetry"/>.
/// A handler that throws on one object is logged and the watch goes on.
/// </summary>
public sealed partial class ResourceWatcher
{
    private readonly KubernetesListWatchClient _client;
    private readonly CrdBridgeOptions _options;
    private readonly TimeProvider _clock;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The last state of each object seen, by UID, so that a re-list can tell which vanished.</summary>
    private readonly Dictionary<string, JsonObject> _known = new(StringComparer.Ordinal);

    internal ResourceWatcher(KubernetesListWatchClient client, WatchedResource resource, CrdBridgeOptions options,
        TimeProvider clock, Random random, ILogger logger)
    {
        _client = client;
        Resource = resource;
        _options = options;
        _clock = clock;
        _random = random;
        _logger = logger;
    }

    public WatchedResource Resource { get; }

    /// <summary>Completes when the first list has been delivered.</summary>
    public Task Synced => _synced.Task;

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled, then returns.</summary>
    public async Task RunAsync(IResourceEventHandler handler, CancellationToken cancellationToken)
    {
        string? resourceVersion = null;
        var lastList = DateTimeOffset.MinValue;
        var failures = 0;
        var missing = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan? delay = null;
            try
            {
                if (resourceVersion is null || _clock.GetUtcNow() - lastList >= _options.ResyncInterval)
                {
                    resourceVersion = await ListAsync(handler, cancellationToken);
                    lastList = _clock.GetUtcNow();
                    if (missing)
                    {
                        LogResourceServed(Resource);
                        missing = false;
                    }

                    _synced.TrySetResult();
                }

                var received = false;
                await foreach (var line in _client.WatchAsync(Resource, resourceVersion, _options.WatchTimeout, cancellationToken))
                {
                    received = true;
                    failures = 0;
                    resourceVersion = await OnWatchLineAsync(handler, line, cancellationToken) ?? resourceVersion;
                }

                Restarted(received ? "closed" : "closed-empty");
                if (!received)
                {
                    // Closed before even a bookmark: do not hammer a server that keeps closing at once.
                    delay = Backoff(++failures);
                    LogWatchClosedEmpty(Resource, delay.Value);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (ApiStatusException ex) when (ex.StatusCode == HttpStatusCode.Gone)
            {
                LogGone(Resource, resourceVersion);
                Restarted("gone");
                resourceVersion = null;
            }
            catch (ApiStatusException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                if (!missing)
                {
                    LogResourceMissing(Resource, _options.MissingResourceRetry);
                    missing = true;
                }

                Restarted("missing");

                resourceVersion = null;
                delay = _options.MissingResourceRetry;
            }
            catch (Exception ex)
            {
                delay = Backoff(++failures);
                Restarted("failed");
                LogWatchFailed(ex, Resource, failures, delay.Value);
            }

            if (delay is { } wait)
            {
                try
                {
                    await Task.Delay(wait, _clock, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private void Restarted(string reason) => KaitoMetrics.WatchRestarts.Add(1,
        new KeyValuePair<string, object?>("resource", Resource.ToString()), new KeyValuePair<string, object?>("reason", reason));

    private async Task<string> ListAsync(IResourceEventHandler handler, CancellationToken cancellationToken)
    {
        var listed = new List<JsonObject>();
        string? next = null;
        string resourceVersion;
        do
        {
            var page = await _client.ListAsync(Resource, _options.ListPageSize, next, cancellationToken);
            listed.AddRange(page.Items);
            resourceVersion = page.ResourceVersion;
            next = page.Continue;
        }
        while (next is not null);

        var previous = new Dictionary<string, JsonObject>(_known, StringComparer.Ordinal);
        _known.Clear();
        foreach (var item in listed)
        {
            var resourceEvent = new ResourceEvent(ResourceEventType.Resync, item);
            if (resourceEvent.Uid is { } uid)
            {
                _known[uid] = item;
                previous.Remove(uid);
            }

            await DeliverAsync(handler, resourceEvent, cancellationToken);
        }

        foreach (var vanished in previous.Values)
        {
            await DeliverAsync(handler, new ResourceEvent(ResourceEventType.Deleted, vanished), cancellationToken);
        }

        LogListed(Resource, listed.Count, previous.Count, resourceVersion);
        return resourceVersion;
    }

    /// <returns>The resourceVersion to resume from, or null to keep the current one.</returns>
    private async Task<string?> OnWatchLineAsync(IResourceEventHandler handler, WatchLine line, CancellationToken cancellationToken)
    {
        if (line.Type == "ERROR")
        {
            var code = KubernetesListWatchClient.StatusOf(line.Object);
            throw new ApiStatusException(code, $"watch ERROR {(int)code}: {line.Object["message"]?.GetValue<string>()}");
        }

        var resourceEvent = new ResourceEvent(line.Type switch
        {
            "ADDED" => ResourceEventType.Added,
            "MODIFIED" => ResourceEventType.Modified,
            "DELETED" => ResourceEventType.Deleted,
            "BOOKMARK" => ResourceEventType.Resync,
            _ => throw new InvalidDataException($"Unknown watch event type '{line.Type}'."),
        }, line.Object);
        if (line.Type == "BOOKMARK")
        {
            return resourceEvent.ResourceVersion;
        }

        if (resourceEvent.Uid is { } uid)
        {
            if (resourceEvent.Type == ResourceEventType.Deleted)
            {
                _known.Remove(uid);
            }
            else
            {
                _known[uid] = line.Object;
            }
        }

        await DeliverAsync(handler, resourceEvent, cancellationToken);
        return resourceEvent.ResourceVersion;
    }

    private async Task DeliverAsync(IResourceEventHandler handler, ResourceEvent resourceEvent, CancellationToken cancellationToken)
    {
        try
        {
            await handler.HandleAsync(resourceEvent, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            LogHandlerFailed(ex, Resource, resourceEvent.Type, resourceEvent.DisplayName);
        }
    }

    private TimeSpan Backoff(int failures)
    {
        double draw;
        lock (_random)
        {
            draw = _random.NextDouble();
        }

        return WatchBackoff.Delay(failures, _options.BackoffBase, _options.BackoffCap, _options.JitterRatio, draw);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Listed {Resource}: {Count} objects, {Vanished} vanished since the last list, resourceVersion {ResourceVersion}")]
    private partial void LogListed(WatchedResource resource, int count, int vanished, string resourceVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watch of {Resource} from resourceVersion {ResourceVersion} expired (410 Gone); re-listing")]
    private partial void LogGone(WatchedResource resource, string? resourceVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource} is not served (404); looking again every {Retry}")]
    private partial void LogResourceMissing(WatchedResource resource, TimeSpan retry);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource} is served now; watching it")]
    private partial void LogResourceServed(WatchedResource resource);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Watch of {Resource} closed without an event; reconnecting in {Delay}")]
    private partial void LogWatchClosedEmpty(WatchedResource resource, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watch of {Resource} failed ({Failures} in a row); reconnecting in {Delay}")]
    private partial void LogWatchFailed(Exception exception, WatchedResource resource, int failures, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling {Type} of {Resource} {Object} failed; the watch goes on")]
    private partial void LogHandlerFailed(Exception exception, WatchedResource resource, ResourceEventType type, string @object);
}
