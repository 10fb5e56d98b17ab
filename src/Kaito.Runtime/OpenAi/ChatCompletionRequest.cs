using System.Text.Json;

namespace Kaito.Runtime.OpenAi;

/// <summary>POST /v1/chat/completions. The OpenAI .NET client sends the limit as max_completion_tokens.</summary>
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
    StreamOptions? StreamOptions) : IGenerationFields;
