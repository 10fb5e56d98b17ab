namespace Kaito.Runtime.Generation;

/// <summary>One generation: prompt tokens, how many new tokens at most, search options, stop sequences, adapter.</summary>
/// <param name="ReceivedAt">Stopwatch timestamp of the request's arrival, for time-to-first-token.</param>
public sealed record GenerationRequest(
    int[] PromptTokens,
    int MaxNewTokens,
    SamplingSettings Sampling,
    IReadOnlyList<string> Stop,
    string? Adapter,
    long ReceivedAt);
