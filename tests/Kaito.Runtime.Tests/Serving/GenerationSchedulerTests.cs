using Kaito.Runtime.Metrics;
using Kaito.Runtime.Serving;
using Microsoft.Extensions.Options;

namespace Kaito.Runtime.Tests.Serving;

public sealed class GenerationSchedulerTests
{
    [Fact]
    public async Task Slots_then_queue_then_refusal_and_a_release_hands_the_slot_on()
    {
        using var scheduler = Scheduler(slots: 1, queue: 1);
        var first = await scheduler.TryEnterAsync(CancellationToken.None);
        Assert.NotNull(first);
        var second = scheduler.TryEnterAsync(CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted);
        Assert.Equal(1, scheduler.QueueDepth);
        Assert.Null(await scheduler.TryEnterAsync(CancellationToken.None));

        first.Dispose();
        using var lease = await second;
        Assert.NotNull(lease);
        Assert.Equal((1, 0), (scheduler.Active, scheduler.QueueDepth));
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_queue()
    {
        using var scheduler = Scheduler(slots: 1, queue: 1);
        using var first = await scheduler.TryEnterAsync(CancellationToken.None);
        using var cancellation = new CancellationTokenSource();
        var waiting = scheduler.TryEnterAsync(cancellation.Token).AsTask();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, scheduler.QueueDepth);
    }

    [Fact]
    public async Task Draining_refuses_new_work_and_completes_when_the_last_lease_goes()
    {
        using var scheduler = Scheduler(slots: 2, queue: 0);
        var lease = await scheduler.TryEnterAsync(CancellationToken.None);
        var drained = scheduler.DrainAsync();
        Assert.Null(await scheduler.TryEnterAsync(CancellationToken.None));
        Assert.False(drained.IsCompleted);
        lease!.Dispose();
        await drained.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static GenerationScheduler Scheduler(int slots, int queue) =>
        new(Options.Create(new RuntimeOptions { MaxConcurrentGenerations = slots, MaxQueuedRequests = queue }), new RuntimeMetrics());
}
