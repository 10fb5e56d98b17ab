using Kaito.NodeSimulator.LocalRuntimes;

namespace Kaito.NodeSimulator.Tests.LocalRuntimes;

/// <summary>No cluster: the crash-loop back-off doubles from the initial delay to the cap and prints as the kubelet's does.</summary>
public sealed class RestartBackoffTests
{
    [Theory]
    [InlineData(1, "10s")]
    [InlineData(2, "20s")]
    [InlineData(3, "40s")]
    [InlineData(4, "1m20s")]
    [InlineData(5, "2m40s")]
    [InlineData(6, "5m0s")]
    [InlineData(40, "5m0s")]
    public void BackoffDoublesPerCrashUpToFiveMinutes(int crashes, string printed) =>
        Assert.Equal(printed, RestartBackoff.Format(RestartBackoff.Delay(crashes, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5))));

    [Fact]
    public void SubSecondBackoffPrintsInMilliseconds() => Assert.Equal("500ms", RestartBackoff.Format(TimeSpan.FromMilliseconds(500)));
}
