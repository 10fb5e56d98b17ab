using System.Text.Json;

namespace Kaito.Runtime.OpenAi;

/// <summary>POST /v1/completions; prompt is a string or an array holding one string.</summary>
public sealed record CompletionRequest(
    string? Model,
    JsonElement? Prompt,
    int? MaxTokens,
    double? Temperature,
    double? TopP,
    long? Seed,
    JsonElement? Stop,
    bool Stream,
    StreamOptions? StreamOptions) : IGenerationFields;
