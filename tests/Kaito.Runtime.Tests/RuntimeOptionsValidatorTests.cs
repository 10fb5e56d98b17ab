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
            AdapterStrengths = { ["a"] = 1.5 },
        });
        Assert.True(result.Failed);
        foreach (var name in new[] { "Port", "ExecutionProvider", "MaxConcurrentGenerations", "MaxQueuedRequests", "AdapterStrengths:a" })
        {
            Assert.Contains(name, result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_server_does_not_start_with_invalid_options()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RuntimeServer.StartAsync(new Dictionary<string, string?> { ["Runtime:MaxConcurrentGenerations"] = "0" }));
        Assert.Contains("MaxConcurrentGenerations", error.Message, StringComparison.Ordinal);
    }
}
