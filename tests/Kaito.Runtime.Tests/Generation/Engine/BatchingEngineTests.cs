using Kaito.Runtime.Generation;
using Kaito.Runtime.Generation.Engine;
using Kaito.Runtime.Metrics;
using Kaito.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kaito.Runtime.Tests.Generation.Engine;

/// <summary>The engine in-process against the Generator path, on random-weight models with mixed prompt lengths.</summary>
public sealed class BatchingEngineTests
{
    private const int NewTokens = 40;

    [Fact]
    public async Task Static_batches_of_mixed_prompt_lengths_give_each_prompt_its_single_request_text_on_a_row_aligned_cache()
    {
        var (alone, batched) = await RunBothAsync(RandomModelFiles.RowAlignedDirectory);
        Assert.Equal(alone, batched);
        Assert.True(alone.Distinct().Count() > 4, "the random model gives different prompts different texts");
    }

    [Fact]
    public async Task A_concatenated_cache_diverges_in_a_static_batch_of_mixed_lengths_which_is_why_the_test_model_aligns_rows()
    {
        var (alone, batched) = await RunBothAsync(RandomModelFiles.ConcatenatedDirectory);
        Assert.NotEqual(alone, batched);
    }

    private static async Task<(string[] Alone, string[] Batched)> RunBothAsync(string directory)
    {
        using var model = new ModelLoader(NullLogger<ModelLoader>.Instance).Load(directory, "cpu", 1);
        var metrics = new RuntimeMetrics();
        var loop = new GenerationLoop(model, metrics);
        var prompts = RandomModelFiles.Prompts.Select(model.Encode).ToArray();
        var alone = prompts.Select(p => Run(loop, p)).ToArray();

        using var engine = new BatchingEngine(model, new BatchingPlan(BatchingMode.Static, 4, "test"), metrics, NullLogger.Instance);
        await engine.Started;
        var streams = prompts.Select(p => engine.Start(Request(p), CancellationToken.None)).ToArray();
        var batched = await Task.WhenAll(streams.Select(StreamText.ReadAsync));
        return (alone, batched);
    }

    private static GenerationRequest Request(int[] prompt) => new(prompt, NewTokens, SamplingSettings.Greedy, [], null, System.Diagnostics.Stopwatch.GetTimestamp());

    private static string Run(GenerationLoop loop, int[] prompt)
    {
        var text = new System.Text.StringBuilder();
        loop.Run(Request(prompt), t => text.Append(t), CancellationToken.None);
        return text.ToString();
    }
}
