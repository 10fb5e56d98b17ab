using System.Diagnostics;
using Kaito.Runtime.Generation;

namespace Kaito.Runtime.Bench;

/// <summary>The baseline: the server's own GenerationLoop on the server's own loaded model, called directly.</summary>
public sealed class InProcessLoad(GenerationLoop loop, int[] prompt)
{
    public (int Tokens, TimeSpan FirstToken) Run(int maxTokens)
    {
        var started = Stopwatch.GetTimestamp();
        var firstToken = TimeSpan.Zero;
        var request = new GenerationRequest(prompt, maxTokens, SamplingSettings.Greedy, [], null, started);
        var outcome = loop.Run(
            request,
            _ =>
            {
                if (firstToken == TimeSpan.Zero)
                {
                    firstToken = Stopwatch.GetElapsedTime(started);
                }
            },
            CancellationToken.None);
        return (outcome.CompletionTokens, firstToken);
    }
}
