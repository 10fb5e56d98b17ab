using System.Diagnostics;
using Kaito.Runtime.Generation;
using Kaito.Runtime.Generation.Engine;

namespace Kaito.Runtime.Bench;

/// <summary>The batching baseline: requests handed straight to the server's own batching engine, no HTTP.</summary>
public sealed class InProcessEngineLoad(BatchingEngine engine, int[] prompt)
{
    public async Task<int> RunAsync(int maxTokens)
    {
        var request = new GenerationRequest(prompt, maxTokens, SamplingSettings.Greedy, [], null, Stopwatch.GetTimestamp());
        var stream = engine.Start(request, CancellationToken.None);
        await using (stream.ConfigureAwait(false))
        {
            await stream.Finished.ConfigureAwait(false);
            var tokens = 0;
            while (stream.Reader.TryRead(out var chunk))
            {
                tokens = chunk.Outcome?.CompletionTokens ?? tokens;
            }

            return tokens;
        }
    }
}
