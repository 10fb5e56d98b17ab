using Kaito.Runtime.Metrics;
using Microsoft.Extensions.Options;

namespace Kaito.Runtime.Serving;

/// <summary>
/// Admission control by KV cache memory: a request reserves its whole window (prompt + max new tokens) of the
/// <see cref="KvCacheBudget"/> before it starts and gives it back when its generation ends, however it ends. It starts
/// when its window fits in what is free and fewer than MaxConcurrentGenerations run; otherwise it waits, at most
/// MaxQueuedRequests of them, and anything beyond is refused (the endpoint answers 429).
/// <para>
/// Strictly first in, first out: a request that fits never passes one waiting before it, even a large one, so a long
/// request cannot be starved by a stream of short ones (the cost: short requests wait behind it). A waiter whose
/// request is cancelled leaves the queue, and whoever is next starts if it now fits. Once draining starts nothing new
/// is admitted; requests already queued still run.
/// </para>
/// </summary>
public sealed class GenerationScheduler
{
    private readonly Lock _lock = new();
    private readonly LinkedList<Waiter> _queue = new();
    private readonly KvCacheBudget _budget;
    private readonly int _maxActive;
    private readonly int _maxQueued;
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _active;
    private int _queued;
    private long _reservedTokens;
    private volatile bool _draining;

    public GenerationScheduler(IOptions<RuntimeOptions> options, RuntimeMetrics metrics, KvCacheBudget budget)
    {
        _budget = budget;
        _maxActive = options.Value.MaxConcurrentGenerations;
        _maxQueued = options.Value.MaxQueuedRequests;
        metrics.AddGauge("kaito_runtime_queue_depth", "Requests waiting for a generation slot or KV cache room.", () => QueueDepth);
        metrics.AddGauge("kaito_runtime_active_generations", "Generations running now.", () => Active);
        metrics.AddGauge("kaito_runtime_kv_cache_reserved_tokens", "KV cache tokens reserved by running generations.", () => ReservedTokens);
        metrics.AddGauge("kaito_runtime_kv_cache_budget_tokens", "KV cache tokens the budget holds (0 until the model is loaded).", () => _budget.IsResolved ? _budget.Tokens : 0);
        metrics.AddModelGauge(RuntimeMetrics.Vllm + "num_requests_running", "Number of requests currently running.", () => Active);
        metrics.AddModelGauge(RuntimeMetrics.Vllm + "num_requests_waiting", "Number of requests waiting to be processed.", () => QueueDepth);
        metrics.AddModelGauge(RuntimeMetrics.Vllm + "gpu_cache_usage_perc", "KV cache usage: the share of the KV cache budget reserved, 0 to 1.", () => KvCacheUsage);
    }

    public int Active => Volatile.Read(ref _active);

    public int QueueDepth => Volatile.Read(ref _queued);

    /// <summary>KV cache tokens reserved by the running generations.</summary>
    public long ReservedTokens => Volatile.Read(ref _reservedTokens);

    /// <summary>The share of the KV cache budget reserved, 0..1 (0 before the budget is known).</summary>
    public double KvCacheUsage => _budget.IsResolved ? (double)ReservedTokens / _budget.Tokens : 0;

    public bool IsDraining => _draining;

    /// <summary>
    /// Waits until <paramref name="tokens"/> of KV cache and a slot are free; returns null when the queue is full or the
    /// server is draining. The caller must have checked that the window fits the budget at all.
    /// </summary>
    public async ValueTask<GenerationLease?> TryEnterAsync(long tokens, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tokens);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tokens, _budget.Tokens);
        cancellationToken.ThrowIfCancellationRequested();
        Waiter waiter;
        lock (_lock)
        {
            if (_draining)
            {
                return null;
            }

            if (_queue.Count == 0 && Fits(tokens))
            {
                Reserve(tokens);
                return new GenerationLease(this, tokens);
            }

            if (_queue.Count >= _maxQueued)
            {
                return null;
            }

            waiter = new Waiter(tokens);
            waiter.Node = _queue.AddLast(waiter);
            _queued++;
        }

        using (cancellationToken.Register(() => Abandon(waiter, cancellationToken)))
        {
            return await waiter.Granted.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Stops admitting and completes when every admitted request (running or queued) has left.</summary>
    public Task DrainAsync()
    {
        lock (_lock)
        {
            _draining = true;
            CompleteIfIdle();
        }

        return _idle.Task;
    }

    internal void Release(long tokens)
    {
        List<Waiter> granted;
        lock (_lock)
        {
            _active--;
            _reservedTokens -= tokens;
            granted = GrantWaiting();
            CompleteIfIdle();
        }

        Hand(granted);
    }

    private void Abandon(Waiter waiter, CancellationToken token)
    {
        List<Waiter> granted;
        lock (_lock)
        {
            if (waiter.Node?.List is null)
            {
                return; // Already granted: the lease goes to the caller, which sees the cancellation itself.
            }

            _queue.Remove(waiter.Node);
            _queued--;
            granted = GrantWaiting();
            CompleteIfIdle();
        }

        waiter.Granted.TrySetCanceled(token);
        Hand(granted);
    }

    private bool Fits(long tokens) => _active < _maxActive && _reservedTokens + tokens <= _budget.Tokens;

    private void Reserve(long tokens)
    {
        _active++;
        _reservedTokens += tokens;
    }

    /// <summary>Starts waiters from the head while they fit; stops at the first that does not (strict FIFO).</summary>
    private List<Waiter> GrantWaiting()
    {
        var granted = new List<Waiter>();
        while (_queue.First is { } first && Fits(first.Value.Tokens))
        {
            _queue.RemoveFirst();
            _queued--;
            Reserve(first.Value.Tokens);
            granted.Add(first.Value);
        }

        return granted;
    }

    private void Hand(List<Waiter> granted)
    {
        foreach (var waiter in granted)
        {
            waiter.Granted.TrySetResult(new GenerationLease(this, waiter.Tokens));
        }
    }

    private void CompleteIfIdle()
    {
        if (_draining && _active == 0 && _queued == 0)
        {
            _idle.TrySetResult();
        }
    }

    private sealed class Waiter(long tokens)
    {
        public long Tokens { get; } = tokens;

        public TaskCompletionSource<GenerationLease?> Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }
    }
}
