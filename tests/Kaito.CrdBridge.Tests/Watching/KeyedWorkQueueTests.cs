using Kaito.CrdBridge.Watching;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kaito.CrdBridge.Tests.Watching;

public sealed class KeyedWorkQueueTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task One_keys_items_run_in_the_order_queued_while_another_key_is_not_held_up_by_them()
    {
        await using var queue = new KeyedWorkQueue(4, NullLogger.Instance);
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var order = new List<int>();
        var otherRan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        queue.Enqueue("a", async _ => { await blocked.Task; lock (order) { order.Add(1); } });
        queue.Enqueue("a", _ => { lock (order) { order.Add(2); } return Task.CompletedTask; });
        queue.Enqueue("a", _ => { lock (order) { order.Add(3); } return Task.CompletedTask; });
        queue.Enqueue("b", _ => { otherRan.TrySetResult(); return Task.CompletedTask; });

        await otherRan.Task.WaitAsync(Wait);
        lock (order)
        {
            Assert.Empty(order);
        }

        blocked.SetResult();
        await queue.WhenIdleAsync().WaitAsync(Wait);
        Assert.Equal([1, 2, 3], order);
    }

    [Fact]
    public async Task No_more_keys_run_at_once_than_allowed()
    {
        await using var queue = new KeyedWorkQueue(2, NullLogger.Instance);
        var running = 0;
        var most = 0;
        for (var i = 0; i < 20; i++)
        {
            queue.Enqueue($"k{i}", async _ =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref most, now);
                await Task.Delay(5);
                Interlocked.Decrement(ref running);
            });
        }

        await queue.WhenIdleAsync().WaitAsync(Wait);
        Assert.InRange(most, 1, 2);
    }

    [Fact]
    public async Task A_failed_item_is_reported_to_its_callback_and_the_next_item_of_that_key_still_runs()
    {
        await using var queue = new KeyedWorkQueue(1, NullLogger.Instance);
        Exception? reported = null;
        var next = false;

        queue.Enqueue("a", _ => throw new InvalidOperationException("boom"), ex => reported = ex);
        queue.Enqueue("a", _ => { next = true; return Task.CompletedTask; });

        await queue.WhenIdleAsync().WaitAsync(Wait);
        Assert.Equal("boom", Assert.IsType<InvalidOperationException>(reported).Message);
        Assert.True(next);
    }

    [Fact]
    public async Task Disposing_cancels_what_is_running_and_drops_what_is_queued()
    {
        var queue = new KeyedWorkQueue(1, NullLogger.Instance);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = false;
        queue.Enqueue("a", async ct => { started.SetResult(); await Task.Delay(Timeout.Infinite, ct); });
        queue.Enqueue("a", _ => { second = true; return Task.CompletedTask; });
        await started.Task.WaitAsync(Wait);

        await queue.DisposeAsync().AsTask().WaitAsync(Wait);
        queue.Enqueue("b", _ => { second = true; return Task.CompletedTask; });

        Assert.False(second);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
