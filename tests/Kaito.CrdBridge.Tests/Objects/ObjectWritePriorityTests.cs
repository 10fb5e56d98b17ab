using System.Diagnostics;
using Kaito.CrdBridge.Objects;

namespace Kaito.CrdBridge.Tests.Objects;

public sealed class ObjectWritePriorityTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Background_write_waits_while_an_apply_is_in_flight_and_goes_once_applies_pause()
    {
        var priority = new ObjectWritePriority(TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));
        var foreground = priority.BeginForeground();
        var turn = priority.WaitForTurnAsync(Stopwatch.GetTimestamp(), CancellationToken.None);

        // Still waiting after several polls: the apply has not ended.
        await Task.WhenAny(turn, Task.Delay(300));
        Assert.False(turn.IsCompleted);

        foreground.Dispose();
        await turn.WaitAsync(Deadline);
    }

    [Fact]
    public async Task Background_write_goes_after_its_longest_wait_even_while_applies_keep_running()
    {
        var priority = new ObjectWritePriority(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300));
        using var foreground = priority.BeginForeground();

        await priority.WaitForTurnAsync(Stopwatch.GetTimestamp(), CancellationToken.None).WaitAsync(Deadline);
    }

    [Fact]
    public async Task Background_write_goes_at_once_when_no_apply_ran()
    {
        var priority = new ObjectWritePriority();

        await priority.WaitForTurnAsync(Stopwatch.GetTimestamp(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(1));
    }
}
