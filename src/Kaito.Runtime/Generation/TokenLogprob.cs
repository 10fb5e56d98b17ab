namespace Kaito.Runtime.Generation;

/// <summary>A generated token with its natural-log probability under the model and the most likely alternatives.</summary>
public sealed record TokenLogprob(int TokenId, string Token, float Logprob, IReadOnlyList<TopLogprob> Top);
