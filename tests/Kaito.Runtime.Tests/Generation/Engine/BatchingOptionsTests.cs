namespace Kaito.Runtime.Tests.Generation.Engine;

/// <summary>Runtime:Batching and Runtime:MaxBatchSize are validated at start, naming the setting.</summary>
public sealed class BatchingOptionsTests
{
    [Theory]
    [InlineData("auto")]
    [InlineData("Dynamic")]
    [InlineData("STATIC")]
    [InlineData("off")]
    public void Each_batching_mode_is_accepted_in_any_case(string mode) =>
        Assert.True(new RuntimeOptionsValidator().Validate(null, new RuntimeOptions { Batching = mode }).Succeeded);

    [Theory]
    [InlineData("continuous", 16, "Runtime:Batching must be one of auto, dynamic, static, off, got 'continuous'.")]
    [InlineData("1", 16, "Runtime:Batching must be one of auto, dynamic, static, off, got '1'.")]
    [InlineData("auto", 0, "Runtime:MaxBatchSize must be 1..256, got 0.")]
    [InlineData("auto", 257, "Runtime:MaxBatchSize must be 1..256, got 257.")]
    public void A_bad_batching_setting_is_refused_by_name(string mode, int size, string message)
    {
        var result = new RuntimeOptionsValidator().Validate(null, new RuntimeOptions { Batching = mode, MaxBatchSize = size });
        Assert.Equal(message, Assert.Single(result.Failures!));
    }
}
