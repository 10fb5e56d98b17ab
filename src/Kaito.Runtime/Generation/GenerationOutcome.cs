namespace Kaito.Runtime.Generation;

/// <summary>How a finished generation ended and how many tokens it used.</summary>
public sealed record GenerationOutcome(int PromptTokens, int CompletionTokens, FinishReason FinishReason);
