using System.Text.Json.Serialization;
using Kaito.Runtime.Kaito;
using Kaito.Runtime.OpenAi;

namespace Kaito.Runtime;

/// <summary>Source-generated JSON for every request and response body, snake_case, nulls left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(ChatCompletionRequest))]
[JsonSerializable(typeof(CompletionRequest))]
[JsonSerializable(typeof(CompletionResponse))]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(ModelCard))]
[JsonSerializable(typeof(ChatMessage))]
[JsonSerializable(typeof(GenerateKwargs))]
[JsonSerializable(typeof(KaitoChatRequest))]
[JsonSerializable(typeof(KaitoChatResult))]
public sealed partial class RuntimeJsonContext : JsonSerializerContext;
