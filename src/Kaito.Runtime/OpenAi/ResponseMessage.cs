namespace Kaito.Runtime.OpenAi;

/// <summary>The assistant message of a chat completion, or the delta of a chunk (null fields are left out).</summary>
public sealed record ResponseMessage(string? Role, string? Content);
