namespace Kaito.Runtime.Generation;

/// <summary>One generation: prompt tokens, how many new tokens at most, search options, stop sequences, adapter.</summary>
/// <param name="ReceivedAt">Stopwatch timestamp of the request's arrival, for time-to-first-token.</param>
/// <param name="Logprobs">
/// Null: no log probabilities. A number k (0..20): each generated token's log probability and its k most likely
/// alternatives, read from the model's logits.
/// </param>
/// <param name="Guidance">Constrains the output to a grammar (JSON schema, regex or Lark), through GenAI's guidance.</param>
public sealed record GenerationRequest(
    int[] PromptTokens,
    int MaxNewTokens,
    SamplingSettings Sampling,
    IReadOnlyList<string> Stop,
    string? Adapter,
    long ReceivedAt,
    int? Logprobs = null,
    TokenGuidance? Guidance = null)
{
    /// <summary>
    /// True when only GenAI's Generator can serve the request: per-token logits (logprobs) and guidance are Generator
    /// features the batched engine path does not offer.
    /// </summary>
    public bool RequiresGenerator => Logprobs is not null || Guidance is not null;
}
