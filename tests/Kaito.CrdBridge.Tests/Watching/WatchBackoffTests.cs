using Kaito.CrdBridge.Watching;

namespace Kaito.CrdBridge.Tests.Watching;

public sealed class WatchBackoffTests
{
    [Theory]
    [InlineData(1, 0.0, 1000)]
    [InlineData(2, 0.0, 2000)]
    [InlineData(4, 0.0, 8000)]
    [InlineData(10, 0.0, 30000)]
    [InlineData(1000, 0.0, 30000)]
    [InlineData(2, 0.5, 1800)]
    [InlineData(10, 0.999, 24006)]
    public void The_delay_doubles_per_failure_up_to_the_cap_and_jitter_only_shortens_it(int failures, double draw, int expectedMs)
    {
        var delay = WatchBackoff.Delay(failures, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.2, draw);

        Assert.Equal(expectedMs, delay.TotalMilliseconds, precision: 0);
    }
}
