namespace Kaito.Runtime.Generation;

/// <summary>
/// Text produced by a running generation; the last chunk carries the outcome (and may have empty text). With logprobs
/// asked for, each token's chunk carries its <see cref="Logprob"/> (its text may be held back by a stop sequence).
/// </summary>
public readonly record struct GenerationChunk(string Text, GenerationOutcome? Outcome, TokenLogprob? Logprob = null);
