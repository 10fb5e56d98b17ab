using Kaito.Runtime.Metrics;
using Microsoft.Extensions.Options;

namespace Kaito.Runtime.Serving;

/// <summary>
/// Admission control: at most MaxConcurrentGenerations run and at most MaxQueuedRequests wait; anything beyond is
/// refused (the endpoint answers 429). A waiter whose request is cancelled leaves the queue; a lease released by a
/// finished or cancelled generation hands its slot to the next waiter. Once draining starts nothing new is admitted.
/// </summary>
public sealed class GenerationScheduler : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly int _capacity;
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _admitted;
    private int _active;
    private volatile bool _draining;

    public GenerationScheduler(IOptions<RuntimeOptions> options, RuntimeMetrics metrics)
    {
        var value = options.Value;
        _slots = new SemaphoreSlim(value.MaxConcurrentGenerations, value.MaxConcurrentGenerations);
        _capacity = value.MaxConcurrentGenerations + value.MaxQueuedRequests;
        metrics.AddGauge("kaito_runtime_queue_depth", "Requests waiting for a generation slot.", () => QueueDepth);
        metrics.AddGauge("kaito_runtime_active_generations", "Generations running now.", () => Active);
    }

    public int Active => Volatile.Read(ref _active);

    public int QueueDepth => Math.Max(0, Volatile.Read(ref _admitted) - Active);

    public bool IsDraining => _draining;

    /// <summary>Waits for a slot; returns null when the queue is full or the server is draining.</summary>
    public async ValueTask<GenerationLease?> TryEnterAsync(CancellationToken cancellationToken)
    {
        if (_draining)
        {
            return null;
        }

        if (Interlocked.Increment(ref _admitted) > _capacity)
        {
            Leave();
            return null;
        }

        try
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave();
            throw;
        }

        Interlocked.Increment(ref _active);
        return new GenerationLease(this);
    }

    /// <summary>Stops admitting and completes when every admitted request has left.</summary>
    public Task DrainAsync()
    {
        _draining = true;
        if (Volatile.Read(ref _admitted) == 0)
        {
            _idle.TrySetResult();
        }

        return _idle.Task;
    }

    public void Dispose() => _slots.Dispose();

    internal void Release()
    {
        Interlocked.Decrement(ref _active);
        _slots.Release();
        Leave();
    }

    private void Leave()
    {
        if (Interlocked.Decrement(ref _admitted) == 0 && _draining)
        {
            _idle.TrySetResult();
        }
    }
}
