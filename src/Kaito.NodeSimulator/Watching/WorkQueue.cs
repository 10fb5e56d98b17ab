using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Kaito.NodeSimulator.Watching;

/// <summary>
/// Keys to reconcile, each queued at most once at a time; one worker drains it, so reconcilers never race each other.
/// A key whose reconcile failed comes back after a capped, growing delay.
/// </summary>
internal sealed class WorkQueue(TimeSpan maxDelay)
{
    private readonly Channel<string> _channel = Channel.CreateUnbounded<string>(new() { SingleReader = true });
    private readonly ConcurrentDictionary<string, byte> _queued = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);

    public void Add(string key)
    {
        if (_queued.TryAdd(key, 0))
        {
            _channel.Writer.TryWrite(key);
        }
    }

    public async Task RunAsync(Func<string, CancellationToken, Task> reconcile, Action<string, Exception> onFailure, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var key in _channel.Reader.ReadAllAsync(cancellationToken))
            {
                _queued.TryRemove(key, out _);
                try
                {
                    await reconcile(key, cancellationToken);
                    _failures.TryRemove(key, out _);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    onFailure(key, e);
                    var failures = _failures.AddOrUpdate(key, 1, (_, n) => n + 1);
                    var delay = TimeSpan.FromMilliseconds(Math.Min(100 * Math.Pow(2, failures), maxDelay.TotalMilliseconds));
                    _ = RequeueLaterAsync(key, delay, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RequeueLaterAsync(string key, TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
            Add(key);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
