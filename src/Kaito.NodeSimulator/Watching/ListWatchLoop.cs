using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Kaito.NodeSimulator.Watching;

/// <summary>
/// List, then watch from the list's resourceVersion; re-watch when the server closes the stream, re-list on 410 Gone,
/// back off (capped, with jitter) when the server fails or the resource is not served yet (a CRD not installed).
/// One bad object is logged and skipped.
/// </summary>
internal sealed partial class ListWatchLoop<T>(
    string resource,
    Func<CancellationToken, Task<(IList<T> Items, string? ResourceVersion)>> list,
    Func<string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch,
    IWatchSink<T> sink,
    TimeSpan maxDelay,
    ILogger logger)
    where T : IKubernetesObject<V1ObjectMeta>
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(200);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var delay = FirstDelay;
        string? resourceVersion = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    var (items, listVersion) = await list(cancellationToken);
                    sink.Replace(items);
                    resourceVersion = listVersion ?? "";
                    LogListed(logger, resource, items.Count, resourceVersion);
                }

                var gone = false;
                Exception? failure = null;
                void OnError(Exception e)
                {
                    if (e is KubernetesException { Status.Code: (int)HttpStatusCode.Gone })
                    {
                        gone = true;
                    }
                    else if (e is KubernetesException)
                    {
                        failure = e;
                    }
                    else
                    {
                        LogBadEvent(logger, resource, e);
                    }
                }

                await foreach (var (type, item) in watch(resourceVersion, OnError, cancellationToken))
                {
                    if (item?.Metadata?.ResourceVersion is { Length: > 0 } version)
                    {
                        resourceVersion = version;
                    }

                    if (type is WatchEventType.Bookmark or WatchEventType.Error || item?.Metadata?.Name is null)
                    {
                        continue;
                    }

                    Deliver(type, item);
                    delay = FirstDelay;
                }

                if (gone)
                {
                    LogGone(logger, resource);
                    resourceVersion = null;
                    continue;
                }

                if (failure is null)
                {
                    continue;
                }

                LogWatchFailed(logger, resource, failure);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                // The CRD is not installed (yet): poll for it.
                LogNotServed(logger, resource);
                resourceVersion = null;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Gone)
            {
                resourceVersion = null;
                continue;
            }
            catch (Exception e)
            {
                LogWatchFailed(logger, resource, e);
            }

            try
            {
                await Task.Delay(delay + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 100)), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, maxDelay.Ticks));
        }
    }

    private void Deliver(WatchEventType type, T item)
    {
        try
        {
            if (type == WatchEventType.Deleted)
            {
                sink.Remove(item);
            }
            else
            {
                sink.Upsert(item);
            }
        }
        catch (Exception e)
        {
            LogBadEvent(logger, resource, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Listed {Count} {Resource} at resourceVersion {ResourceVersion}")]
    private static partial void LogListed(ILogger logger, string resource, int count, string resourceVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watch of {Resource} expired (410 Gone); listing again")]
    private static partial void LogGone(ILogger logger, string resource);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Resource} is not served (CRD not installed?); polling")]
    private static partial void LogNotServed(ILogger logger, string resource);

    [LoggerMessage(Level = LogLevel.Warning, Message = "List/watch of {Resource} failed; retrying")]
    private static partial void LogWatchFailed(ILogger logger, string resource, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped a {Resource} watch event that could not be handled")]
    private static partial void LogBadEvent(ILogger logger, string resource, Exception exception);
}
