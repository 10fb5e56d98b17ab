using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kaito.Runtime.OpenAi;

/// <summary>
/// POST /v1/chat/completions. The OpenAI .NET client sends the limit as max_completion_tokens. Fields without a
/// property here land in <see cref="Unmapped"/>, where <see cref="OpenAiFieldPolicy"/> accepts or refuses each.
/// </summary>
public sealed record ChatCompletionRequest(
    string? Model,
    IReadOnlyList<ChatMessage>? Messages,
    int? MaxTokens,
    int? MaxCompletionTokens,
    double? Temperature,
    double? TopP,
    long? Seed,
    JsonElement? Stop,
    bool Stream,
    StreamOptions? StreamOptions,
    int? N = null,
    bool? Logprobs = null,
    int? TopLogprobs = null,
    JsonElement? ResponseFormat = null,
    int? TopK = null,
    double? RepetitionPenalty = null,
    int? MinTokens = null) : IGenerationFields
{
    [JsonIgnore]
    public Dictionary<string, JsonElement>? Unmapped { get; init; }
}
