using Kaito.Runtime.Generation;

namespace Kaito.Runtime.OpenAi;

/// <summary>One finished choice: its text, how it ended, and its token logprobs when they were asked for.</summary>
public sealed record ChoiceResult(string Text, GenerationOutcome Outcome, IReadOnlyList<TokenLogprob>? Logprobs);
