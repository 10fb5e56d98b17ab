using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kaito.Runtime.OpenAi;

/// <summary>
/// POST /v1/completions; prompt is a string or an array holding one string; logprobs is the number of alternatives
/// (0..5). Fields without a property land in <see cref="Unmapped"/> for <see cref="OpenAiFieldPolicy"/>.
/// </summary>
public sealed record CompletionRequest(
    string? Model,
    JsonElement? Prompt,
    int? MaxTokens,
    double? Temperature,
    double? TopP,
    long? Seed,
    JsonElement? Stop,
    bool Stream,
    StreamOptions? StreamOptions,
    int? N = null,
    int? Logprobs = null,
    int? TopK = null,
    double? RepetitionPenalty = null,
    int? MinTokens = null) : IGenerationFields
{
    [JsonIgnore]
    public Dictionary<string, JsonElement>? Unmapped { get; init; }
}
