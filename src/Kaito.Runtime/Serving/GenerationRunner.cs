using System.Diagnostics;
using System.Globalization;
using Kaito.Runtime.Generation;
using Microsoft.Extensions.Options;

namespace Kaito.Runtime.Serving;

/// <summary>
/// What every generating endpoint does before it writes a byte: the model must be loaded (503), the prompt must fit
/// the context (400 with both counts), a slot must be free or queued (429 with Retry-After, 503 while draining).
/// </summary>
public sealed class GenerationRunner(ModelHost host, GenerationScheduler scheduler, ITextGenerator generator, IOptions<RuntimeOptions> options)
{
    public LoadedModel Model => host.IsReady && host.Model is { } model
        ? model
        : throw new RuntimeRequestException(503, "The model is still loading.", options.Value.RetryAfterSeconds);

    public string ModelId => host.ModelId;

    /// <summary>The new-token budget: the request's, capped by what the context leaves after the prompt.</summary>
    public int FitToContext(int promptTokens, int requestedNewTokens)
    {
        var context = Model.ContextLength;
        if (promptTokens >= context)
        {
            throw new RuntimeRequestException(400, string.Create(CultureInfo.InvariantCulture,
                $"This model's maximum context length is {context} tokens, but the prompt has {promptTokens} tokens."));
        }

        return Math.Min(requestedNewTokens, context - promptTokens);
    }

    public GenerationRequest Request(int[] prompt, int maxNewTokens, SamplingSettings sampling, IReadOnlyList<string> stop, string? adapter, long receivedAt) =>
        new(prompt, maxNewTokens, sampling, stop, adapter, receivedAt == 0 ? Stopwatch.GetTimestamp() : receivedAt);

    public async Task<ActiveGeneration> StartAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        var lease = await scheduler.TryEnterAsync(cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            throw scheduler.IsDraining
                ? new RuntimeRequestException(503, "The server is shutting down.", options.Value.RetryAfterSeconds)
                : new RuntimeRequestException(429, "Too many requests: every generation slot and queue place is taken.", options.Value.RetryAfterSeconds);
        }

        try
        {
            return new ActiveGeneration(generator.Start(request, cancellationToken), lease);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }
}
