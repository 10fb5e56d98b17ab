using System.Diagnostics;
using System.Globalization;
using Kaito.Runtime.Generation;
using Kaito.Runtime.Metrics;
using Microsoft.Extensions.Options;

namespace Kaito.Runtime.Serving;

/// <summary>
/// What every generating endpoint does before it writes a byte: the model must be loaded (503), the prompt must fit
/// the context (400 with both counts), the request's window must fit the KV cache budget at all (400 with the
/// numbers), and its reservation must be granted now or after a wait in the queue (429 with Retry-After when the
/// queue is full, 503 while draining).
/// </summary>
public sealed class GenerationRunner(
    ModelHost host,
    GenerationScheduler scheduler,
    ITextGenerator generator,
    KvCacheBudget budget,
    RuntimeMetrics metrics,
    IOptions<RuntimeOptions> options)
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

    /// <summary>Reserves the request's KV cache window (waiting in the queue if need be), then starts it.</summary>
    public async Task<ActiveGeneration> StartAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        var tokens = (long)request.PromptTokens.Length + request.MaxNewTokens;
        if (tokens > budget.Tokens)
        {
            throw new RuntimeRequestException(400, string.Create(CultureInfo.InvariantCulture,
                $"This request needs KV cache for {tokens} tokens ({request.PromptTokens.Length} prompt + {request.MaxNewTokens} max new) " +
                $"at {budget.BytesPerToken} bytes per token = {tokens * budget.BytesPerToken} bytes, but the server's KV cache budget is " +
                $"{budget.MemoryBytes} bytes ({budget.Tokens} tokens). Ask for fewer new tokens or send a shorter prompt."));
        }

        var lease = await scheduler.TryEnterAsync(tokens, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            throw scheduler.IsDraining
                ? new RuntimeRequestException(503, "The server is shutting down.", options.Value.RetryAfterSeconds)
                : new RuntimeRequestException(429, "Too many requests: the KV cache budget or every generation slot is taken and the queue is full.", options.Value.RetryAfterSeconds);
        }

        try
        {
            var receivedAt = request.ReceivedAt;
            return new ActiveGeneration(generator.Start(request, cancellationToken), lease, ended => metrics.RecordEndToEnd(receivedAt, ended));
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }
}
