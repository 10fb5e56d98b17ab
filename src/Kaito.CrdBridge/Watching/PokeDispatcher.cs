using Kaito.Grains.Workspaces;
using Microsoft.Extensions.Logging;

namespace Kaito.CrdBridge.Watching;

/// <summary>
/// Sends "something changed, reconcile" pokes to the sink without holding up a watch, coalescing bursts: per
/// Workspace or machine at most one poke in flight and one queued (the latest cause wins). A burst of a thousand
/// Pod updates for one Workspace makes two grain calls, not a thousand.
/// </summary>
public sealed partial class PokeDispatcher(IWatchSink sink, ILogger<PokeDispatcher> logger) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private int _disposed;

    public void PokeWorkspace(WorkspaceKey key, string cause) =>
        Post("workspace:" + key, cause, ct => sink.WorkloadChangedAsync(key, cause, ct));

    public void PokeMachine(string machineName, string cause) =>
        Post("machine:" + machineName, cause, ct => sink.MachineChangedAsync(machineName, cause, ct));

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        Task[] running;
        lock (_gate)
        {
            running = _slots.Values.Select(s => s.Running).ToArray();
        }

        await Task.WhenAll(running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private void Post(string target, string cause, Func<CancellationToken, Task> poke)
    {
        lock (_gate)
        {
            if (Volatile.Read(ref _disposed) == 1)
            {
                return;
            }

            if (_slots.TryGetValue(target, out var busy))
            {
                busy.Next = (cause, poke);
                return;
            }

            var slot = new Slot();
            _slots[target] = slot;
            slot.Running = Task.Run(() => DrainAsync(target, cause, poke));
        }
    }

    private async Task DrainAsync(string target, string cause, Func<CancellationToken, Task> poke)
    {
        while (true)
        {
            try
            {
                await poke(_stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The grains reconcile on their own timers too; a lost poke only delays.
                LogPokeFailed(ex, target, cause);
            }

            lock (_gate)
            {
                var slot = _slots[target];
                if (slot.Next is not { } next || _stopping.IsCancellationRequested)
                {
                    _slots.Remove(target);
                    return;
                }

                slot.Next = null;
                (cause, poke) = next;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Poking {Target} ({Cause}) failed")]
    private partial void LogPokeFailed(Exception exception, string target, string cause);

    private sealed class Slot
    {
        public Task Running { get; set; } = Task.CompletedTask;

        public (string Cause, Func<CancellationToken, Task> Poke)? Next { get; set; }
    }
}
