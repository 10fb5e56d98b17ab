using System.Text.Json;

namespace Kaito.Runtime.OpenAi;

/// <summary>
/// One choice in any OpenAI completion body: chat responses fill Message, chat chunks Delta, text completions Text.
/// FinishReason is "stop" or "length", or null (left out) in a chunk that is not the last. Logprobs is in the shape of
/// the endpoint (see <see cref="OpenAiLogprobs"/>), left out when not asked for.
/// </summary>
public sealed record CompletionChoice(int Index, ResponseMessage? Message, ResponseMessage? Delta, string? Text, string? FinishReason, JsonElement? Logprobs = null);
