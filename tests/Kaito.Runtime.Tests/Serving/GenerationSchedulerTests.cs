using Kaito.Runtime.Metrics;
using Kaito.Runtime.Serving;
using Microsoft.Extensions.Options;

namespace Kaito.Runtime.Tests.Serving;

public sealed class GenerationSchedulerTests
{
    [Fact]
    public async Task Slots_then_queue_then_refusal_and_a_release_hands_the_slot_on()
    {
        var scheduler = Scheduler(slots: 1, queue: 1);
        var first = await scheduler.TryEnterAsync(1, CancellationToken.None);
        Assert.NotNull(first);
        var second = scheduler.TryEnterAsync(1, CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted);
        Assert.Equal(1, scheduler.QueueDepth);
        Assert.Null(await scheduler.TryEnterAsync(1, CancellationToken.None));

        first.Dispose();
        using var lease = await second;
        Assert.NotNull(lease);
        Assert.Equal((1, 0), (scheduler.Active, scheduler.QueueDepth));
    }

    [Fact]
    public async Task A_request_waits_until_its_window_fits_in_the_free_kv_cache()
    {
        var scheduler = Scheduler(slots: 8, queue: 4, budgetTokens: 100);
        var big = await scheduler.TryEnterAsync(70, CancellationToken.None);
        Assert.Equal((70L, 0.7), (scheduler.ReservedTokens, scheduler.KvCacheUsage));
        var second = scheduler.TryEnterAsync(40, CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted);

        big!.Dispose();
        using var lease = await second;
        Assert.Equal(40, scheduler.ReservedTokens);
    }

    [Fact]
    public async Task Strict_fifo_a_small_request_does_not_pass_a_large_waiting_one()
    {
        var scheduler = Scheduler(slots: 8, queue: 4, budgetTokens: 100);
        var first = await scheduler.TryEnterAsync(60, CancellationToken.None);
        var large = scheduler.TryEnterAsync(80, CancellationToken.None).AsTask();
        var small = scheduler.TryEnterAsync(30, CancellationToken.None).AsTask();
        Assert.False(small.IsCompleted); // 60 + 30 would fit, but the large request came first.
        Assert.Equal(2, scheduler.QueueDepth);

        first!.Dispose();
        var largeLease = await large;
        Assert.False(small.IsCompleted);
        largeLease!.Dispose();
        using var smallLease = await small;
        Assert.Equal(30, scheduler.ReservedTokens);
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_queue_and_lets_the_next_one_start_if_it_fits()
    {
        var scheduler = Scheduler(slots: 8, queue: 4, budgetTokens: 100);
        using var first = await scheduler.TryEnterAsync(60, CancellationToken.None);
        using var cancellation = new CancellationTokenSource();
        var large = scheduler.TryEnterAsync(80, cancellation.Token).AsTask();
        var small = scheduler.TryEnterAsync(30, CancellationToken.None).AsTask();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => large);
        using var smallLease = await small;
        Assert.Equal((0, 90L), (scheduler.QueueDepth, scheduler.ReservedTokens));
    }

    [Fact]
    public async Task A_window_larger_than_the_budget_is_refused_by_the_scheduler_itself() =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Scheduler(slots: 1, queue: 1, budgetTokens: 10).TryEnterAsync(11, CancellationToken.None).AsTask());

    [Fact]
    public async Task Draining_refuses_new_work_and_completes_when_the_last_lease_goes()
    {
        var scheduler = Scheduler(slots: 2, queue: 0);
        var lease = await scheduler.TryEnterAsync(1, CancellationToken.None);
        var drained = scheduler.DrainAsync();
        Assert.Null(await scheduler.TryEnterAsync(1, CancellationToken.None));
        Assert.False(drained.IsCompleted);
        lease!.Dispose();
        await drained.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static GenerationScheduler Scheduler(int slots, int queue, long budgetTokens = 1000) =>
        new(
            Options.Create(new RuntimeOptions { MaxConcurrentGenerations = slots, MaxQueuedRequests = queue }),
            new RuntimeMetrics(),
            new KvCacheBudget(new KvCacheLayout(1, 1, 1, 1, "test"), budgetTokens * 2));
}
