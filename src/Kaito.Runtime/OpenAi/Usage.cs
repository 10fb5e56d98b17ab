namespace Kaito.Runtime.OpenAi;

/// <summary>Token counts of one request.</summary>
public sealed record Usage(int PromptTokens, int CompletionTokens, int TotalTokens);
