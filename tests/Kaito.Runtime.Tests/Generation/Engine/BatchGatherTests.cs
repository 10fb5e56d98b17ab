using Kaito.Runtime.Generation;
using Kaito.Runtime.Generation.Engine;
using Kaito.Runtime.Metrics;
using Kaito.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kaito.Runtime.Tests.Generation.Engine;

/// <summary>
/// The static engine's gather window: an idle engine holds a lone request until the batch is full or the window ends,
/// so that a burst's first request does not run a batch alone (a running static batch admits nobody until it ends).
/// </summary>
public sealed class BatchGatherTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_lone_request_waits_for_the_batch_to_fill_and_a_full_batch_starts_at_once()
    {
        using var model = new ModelLoader(NullLogger<ModelLoader>.Instance).Load(TestModelFiles.ModelDirectory, "cpu", 1);
        // A window far longer than the test: only a full batch can start it.
        using var engine = new BatchingEngine(model, new BatchingPlan(BatchingMode.Static, 4, "test"), new RuntimeMetrics(), NullLogger.Instance, TimeSpan.FromMinutes(5));
        await engine.Started;

        var first = engine.Start(Request("abc"), CancellationToken.None);
        await Task.Delay(200);
        Assert.False(first.FirstWritten.IsCompleted, "the lone request is held for the batch");
        Assert.Equal(0, engine.Rows);

        var rest = new[] { "pqr", "hij", "stu" }.Select(p => engine.Start(Request(p), CancellationToken.None)).ToArray();
        var texts = await Task.WhenAll(new[] { first }.Concat(rest).Select(StreamText.ReadAsync)).WaitAsync(Deadline);

        Assert.Equal(["defgh", "stuvw", "klmno", "vwxyz"], texts);
    }

    [Fact]
    public async Task Without_a_window_a_lone_request_starts_at_once()
    {
        using var model = new ModelLoader(NullLogger<ModelLoader>.Instance).Load(TestModelFiles.ModelDirectory, "cpu", 1);
        using var engine = new BatchingEngine(model, new BatchingPlan(BatchingMode.Static, 4, "test"), new RuntimeMetrics(), NullLogger.Instance, TimeSpan.Zero);
        await engine.Started;

        var text = await StreamText.ReadAsync(engine.Start(Request("abc"), CancellationToken.None)).WaitAsync(Deadline);

        Assert.Equal("defgh", text);
    }

    private static GenerationRequest Request(string prompt) =>
        new([.. prompt.Select(c => (int)c)], 5, SamplingSettings.Greedy, [], null, System.Diagnostics.Stopwatch.GetTimestamp());
}
