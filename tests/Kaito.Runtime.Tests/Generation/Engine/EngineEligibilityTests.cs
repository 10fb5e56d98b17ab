using Kaito.Runtime.Generation;
using Kaito.Runtime.Generation.Engine;

namespace Kaito.Runtime.Tests.Generation.Engine;

/// <summary>The one place that sends a request to the engine or to the Generator path.</summary>
public sealed class EngineEligibilityTests
{
    private static readonly GenerationRequest Plain = new([1, 2, 3], 8, SamplingSettings.Greedy, [], null, 0);

    [Theory]
    [InlineData(BatchingMode.Static)]
    [InlineData(BatchingMode.Dynamic)]
    public void Greedy_and_unseeded_sampled_requests_run_on_the_engine(BatchingMode mode)
    {
        Assert.Null(EngineEligibility.Check(Plain, mode));
        Assert.Null(EngineEligibility.Check(Plain with { Sampling = new SamplingSettings(true, 0.7, 50, 0.9) }, mode));
    }

    [Fact]
    public void Adapters_seeds_min_length_and_repetition_penalty_take_the_generator_path_in_every_mode()
    {
        foreach (var mode in new[] { BatchingMode.Static, BatchingMode.Dynamic })
        {
            Assert.StartsWith("adapter:", EngineEligibility.Check(Plain with { Adapter = "x" }, mode), StringComparison.Ordinal);
            Assert.StartsWith("seed:", EngineEligibility.Check(Plain with { Sampling = SamplingSettings.Greedy with { Seed = 1 } }, mode), StringComparison.Ordinal);
            Assert.StartsWith("min_length:", EngineEligibility.Check(Plain with { Sampling = SamplingSettings.Greedy with { MinLength = 3 } }, mode), StringComparison.Ordinal);
            Assert.StartsWith("repetition_penalty:", EngineEligibility.Check(Plain with { Sampling = SamplingSettings.Greedy with { RepetitionPenalty = 1.2 } }, mode), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Stop_strings_take_the_generator_path_on_a_static_engine_only()
    {
        var stop = Plain with { Stop = ["x"] };
        Assert.StartsWith("stop:", EngineEligibility.Check(stop, BatchingMode.Static), StringComparison.Ordinal);
        Assert.Null(EngineEligibility.Check(stop, BatchingMode.Dynamic));
    }

    [Fact]
    public void Without_an_engine_everything_takes_the_generator_path() =>
        Assert.Equal("batching is off", EngineEligibility.Check(Plain, BatchingMode.Off));
}
