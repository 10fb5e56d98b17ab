using System.Diagnostics;
using System.Text;
using Kaito.Runtime.Generation;
using Kaito.Runtime.Metrics;
using Kaito.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kaito.Runtime.Tests.Generation;

public sealed class GenerationLoopTests : IDisposable
{
    private readonly LoadedModel _model = new ModelLoader(NullLogger<ModelLoader>.Instance).Load(TestModelFiles.ModelDirectory, "auto");
    private readonly RuntimeMetrics _metrics = new();

    public void Dispose() => _model.Dispose();

    [Fact]
    public void Greedy_search_gives_the_exact_text_and_stops_at_eos_without_emitting_it()
    {
        var (text, outcome) = Run("abc", 100);
        Assert.Equal(TestModelFiles.AbcContinuation, text);
        Assert.Equal(new GenerationOutcome(3, TestModelFiles.AbcContinuation.Length, FinishReason.Stop), outcome);
    }

    [Fact]
    public void Max_new_tokens_ends_the_generation_with_length()
    {
        var (text, outcome) = Run("abc", 5);
        Assert.Equal("defgh", text);
        Assert.Equal(FinishReason.Length, outcome.FinishReason);
    }

    [Fact]
    public void A_stop_sequence_ends_the_generation_before_it()
    {
        var (text, outcome) = Run("abc", 100, stop: ["jk"]);
        Assert.Equal("defghi", text);
        Assert.Equal(FinishReason.Stop, outcome.FinishReason);
    }

    [Fact]
    public void Seeded_sampling_repeats_itself()
    {
        var sampling = new SamplingSettings(DoSample: true, Temperature: 5, TopK: 50, Seed: 7);
        Assert.Equal(Run("abc", 20, sampling: sampling).Text, Run("abc", 20, sampling: sampling).Text);
    }

    [Fact]
    public void Cancellation_stops_the_loop_between_tokens()
    {
        using var cancellation = new CancellationTokenSource();
        var loop = new GenerationLoop(_model, _metrics);
        var pieces = 0;
        var request = new GenerationRequest(_model.Encode("abc"), 100, SamplingSettings.Greedy, [], null, Stopwatch.GetTimestamp());
        Assert.Throws<OperationCanceledException>(() => loop.Run(request, _ => { if (++pieces == 2) { cancellation.Cancel(); } }, cancellation.Token));
        Assert.Equal(2, pieces);
    }

    [Fact]
    public void Metrics_count_tokens_and_latencies()
    {
        Run("abc", 4);
        Assert.Equal(3, _metrics.PromptTokens);
        Assert.Equal(4, _metrics.GeneratedTokens);
        Assert.Equal(1, _metrics.TimeToFirstToken.Count);
        Assert.Equal(3, _metrics.InterTokenLatency.Count);
    }

    private (string Text, GenerationOutcome Outcome) Run(string prompt, int maxNew, IReadOnlyList<string>? stop = null, SamplingSettings? sampling = null)
    {
        var text = new StringBuilder();
        var request = new GenerationRequest(_model.Encode(prompt), maxNew, sampling ?? SamplingSettings.Greedy, stop ?? [], null, Stopwatch.GetTimestamp());
        var outcome = new GenerationLoop(_model, _metrics).Run(request, piece => text.Append(piece), CancellationToken.None);
        return (text.ToString(), outcome);
    }
}
