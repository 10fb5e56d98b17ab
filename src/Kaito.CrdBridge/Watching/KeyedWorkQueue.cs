using Microsoft.Extensions.Logging;

namespace Kaito.CrdBridge.Watching;

/// <summary>
/// Runs work in order per key and for different keys side by side, at most <c>maxConcurrency</c> keys at once, so a
/// watch loop hands its events on without waiting for each grain call: a hundred new Workspaces activate together
/// instead of one after another, while one Workspace's events (spec, then deletion) still arrive in the order seen.
/// A failed item is reported to its own callback and does not stop the items after it.
/// </summary>
public sealed partial class KeyedWorkQueue(int maxConcurrency, ILogger logger) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<WorkItem>> _pending = new(StringComparer.Ordinal);
    private readonly HashSet<Task> _draining = [];
    private readonly SemaphoreSlim _slots = new(maxConcurrency, maxConcurrency);
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    /// <summary>Queues <paramref name="work"/> behind everything queued before for <paramref name="key"/>.</summary>
    public void Enqueue(string key, Func<CancellationToken, Task> work, Action<Exception>? onFailure = null)
    {
        lock (_gate)
        {
            if (Volatile.Read(ref _disposed) == 1)
            {
                return;
            }

            if (_pending.TryGetValue(key, out var queue))
            {
                queue.Enqueue(new WorkItem(work, onFailure));
                return;
            }

            _pending[key] = new Queue<WorkItem>([new WorkItem(work, onFailure)]);
            var drain = Task.Run(() => DrainAsync(key));
            _draining.Add(drain);
            _ = drain.ContinueWith(d => { lock (_gate) { _draining.Remove(d); } }, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>Completes when everything queued before this call has run (and possibly more).</summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            return Task.WhenAll(_draining);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        await WhenIdleAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
        _slots.Dispose();
    }

    private async Task DrainAsync(string key)
    {
        try
        {
            await _slots.WaitAsync(_stopping.Token);
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                _pending.Remove(key);
            }

            return;
        }

        try
        {
            while (true)
            {
                WorkItem item;
                lock (_gate)
                {
                    var queue = _pending[key];
                    if (queue.Count == 0 || _stopping.IsCancellationRequested)
                    {
                        _pending.Remove(key);
                        return;
                    }

                    item = queue.Dequeue();
                }

                await RunAsync(key, item);
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task RunAsync(string key, WorkItem item)
    {
        try
        {
            await item.Work(_stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogFailed(ex, key);
            item.OnFailure?.Invoke(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handing on an event for {Key} failed")]
    private partial void LogFailed(Exception exception, string key);

    private sealed record WorkItem(Func<CancellationToken, Task> Work, Action<Exception>? OnFailure);
}
