namespace Kaito.Runtime.Generation;

/// <summary>One of the most likely tokens at a step, with its natural-log probability.</summary>
public sealed record TopLogprob(int TokenId, string Token, float Logprob);
