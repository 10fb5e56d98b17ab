using Kaito.Runtime.Tests.Support;

namespace Kaito.Runtime.Tests;

public sealed class RuntimeOptionsValidatorTests
{
    [Fact]
    public void Every_invalid_option_is_named()
    {
        var result = new RuntimeOptionsValidator().Validate(null, new RuntimeOptions
        {
            Port = 70000,
            ExecutionProvider = "tpu",
            MaxConcurrentGenerations = 0,
            MaxQueuedRequests = -1,
            MaxAdapterRank = 0,
            AdapterStrengths = { ["a"] = 1.5 },
        });
        Assert.True(result.Failed);
        foreach (var name in new[] { "Port", "ExecutionProvider", "MaxConcurrentGenerations", "MaxQueuedRequests", "MaxAdapterRank", "AdapterStrengths:a" })
        {
            Assert.Contains(name, result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(20, 30, true)] // the defaults: 20 s drain + 5 s to stop within 30 s
    [InlineData(25, 30, true)]
    [InlineData(26, 30, false)]
    [InlineData(30, 30, false)] // the old default drain would have been SIGKILLed by the default grace period
    [InlineData(55, 60, true)]
    public void The_drain_and_the_stop_must_fit_within_the_termination_grace_period(int drainSeconds, int graceSeconds, bool valid)
    {
        var result = new RuntimeOptionsValidator().Validate(null, new RuntimeOptions
        {
            DrainTimeout = TimeSpan.FromSeconds(drainSeconds),
            TerminationGracePeriod = TimeSpan.FromSeconds(graceSeconds),
        });
        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Runtime:TerminationGracePeriod", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_server_does_not_start_with_invalid_options()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RuntimeServer.StartAsync(new Dictionary<string, string?> { ["Runtime:MaxConcurrentGenerations"] = "0" }));
        Assert.Contains("MaxConcurrentGenerations", error.Message, StringComparison.Ordinal);
    }
}
