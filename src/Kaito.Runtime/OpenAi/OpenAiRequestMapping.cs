using System.Text;
using System.Text.Json;
using Kaito.Runtime.Adapters;
using Kaito.Runtime.Generation;
using Kaito.Runtime.Serving;

namespace Kaito.Runtime.OpenAi;

/// <summary>Turns OpenAI request fields into generation settings, with OpenAI's meaning of each.</summary>
public static class OpenAiRequestMapping
{
    /// <summary>The most choices one request may ask for (each runs as its own generation).</summary>
    public const int MaxChoices = 16;

    /// <summary>OpenAI's limit on top_logprobs (chat).</summary>
    public const int MaxTopLogprobs = 20;

    /// <summary>OpenAI's limit on logprobs (completions).</summary>
    public const int MaxCompletionLogprobs = 5;

    private static readonly HashSet<string> Roles = new(StringComparer.Ordinal) { "system", "user", "assistant", "tool", "developer" };

    /// <summary>
    /// The OpenAI fields plus vLLM's sampling extensions, which clients written for vLLM (upstream Kaito's default
    /// runtime) send: top_k (-1 or 0 is the whole vocabulary), repetition_penalty and min_tokens (new tokens before
    /// the end of sequence may come; GenAI's min_length counts the prompt too, hence <paramref name="promptTokens"/>).
    /// </summary>
    public static SamplingSettings Sampling(IGenerationFields request, int promptTokens) =>
        Sampling(request.Temperature, request.TopP, request.Seed, request.TopK, request.RepetitionPenalty, request.MinTokens, promptTokens);

    private static SamplingSettings Sampling(double? temperature, double? topP, long? seed, int? topK, double? repetitionPenalty, int? minTokens, int promptTokens)
    {
        if (topK is < -1)
        {
            throw new RuntimeRequestException(400, $"top_k must be -1, 0 (the whole vocabulary) or a positive count, got {topK}.");
        }

        if (repetitionPenalty is <= 0)
        {
            throw new RuntimeRequestException(400, $"repetition_penalty must be greater than 0, got {repetitionPenalty}.");
        }

        if (minTokens is < 0)
        {
            throw new RuntimeRequestException(400, $"min_tokens must be at least 0, got {minTokens}.");
        }

        var extras = Sampling(temperature, topP, seed);
        return extras with
        {
            TopK = extras.DoSample && topK is > 0 ? topK.Value : extras.TopK,
            RepetitionPenalty = repetitionPenalty ?? 1.0,
            MinLength = minTokens is > 0 ? promptTokens + minTokens.Value : 0,
        };
    }

    /// <summary>
    /// temperature 0 is greedy search; otherwise sampling (OpenAI's default temperature is 1) over the whole
    /// vocabulary: OpenAI has no top_k, so none is applied (top_k 0).
    /// </summary>
    private static SamplingSettings Sampling(double? temperature, double? topP, long? seed)
    {
        var t = temperature ?? 1.0;
        if (t is < 0 or > 2)
        {
            throw new RuntimeRequestException(400, $"temperature must be within 0..2, got {t}.");
        }

        if (topP is <= 0 or > 1)
        {
            throw new RuntimeRequestException(400, $"top_p must be within (0, 1], got {topP}.");
        }

        return t == 0 ? SamplingSettings.Greedy with { Seed = seed } : new SamplingSettings(true, t, 0, topP ?? 1.0, Seed: seed);
    }

    public static IReadOnlyList<string> Stop(JsonElement? stop) => stop switch
    {
        { ValueKind: JsonValueKind.String } s => [s.GetString()!],
        { ValueKind: JsonValueKind.Array } a => [.. a.EnumerateArray().Select(e => e.GetString() ?? string.Empty).Where(s => s.Length > 0)],
        null or { ValueKind: JsonValueKind.Null } => [],
        _ => throw new RuntimeRequestException(400, "stop must be a string or an array of strings."),
    };

    /// <summary>The base model's id (or no model) runs without an adapter; an adapter's name runs with it.</summary>
    public static string? Adapter(string? model, string modelId, AdapterCatalog adapters)
    {
        if (string.IsNullOrEmpty(model) || model == modelId)
        {
            return null;
        }

        return adapters.Names.Contains(model)
            ? model
            : throw new RuntimeRequestException(404, $"The model '{model}' does not exist; GET /v1/models lists the models served.");
    }

    public static int MaxTokens(int? requested, int fallback) => requested switch
    {
        null => fallback,
        < 1 => throw new RuntimeRequestException(400, $"max_tokens must be at least 1, got {requested}."),
        _ => requested.Value,
    };

    public static int Choices(int? n) => n switch
    {
        null => 1,
        < 1 or > MaxChoices => throw new RuntimeRequestException(400, $"n must be within 1..{MaxChoices}, got {n}."),
        _ => n.Value,
    };

    /// <summary>Chat: logprobs true gives each token's log probability, top_logprobs (0..20) the alternatives.</summary>
    public static int? ChatLogprobs(bool? logprobs, int? topLogprobs)
    {
        if (topLogprobs is { } top && logprobs != true)
        {
            throw new RuntimeRequestException(400, "top_logprobs needs logprobs set to true.");
        }

        return logprobs == true ? TopCount(topLogprobs ?? 0, MaxTopLogprobs, "top_logprobs") : null;
    }

    /// <summary>Completions: logprobs is the number of alternatives per token (0..5).</summary>
    public static int? CompletionLogprobs(int? logprobs) =>
        logprobs is { } count ? TopCount(count, MaxCompletionLogprobs, "logprobs") : null;

    /// <summary>response_format: text (no constraint), json_object (any JSON object) or json_schema (its schema).</summary>
    public static TokenGuidance? Guidance(JsonElement? responseFormat)
    {
        if (responseFormat is not { ValueKind: not JsonValueKind.Null } format)
        {
            return null;
        }

        var type = format.ValueKind == JsonValueKind.Object && format.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()
            : throw new RuntimeRequestException(400, "response_format must be an object with a string 'type'.");
        return type switch
        {
            "text" => null,
            "json_object" => TokenGuidance.JsonObject,
            "json_schema" when format.TryGetProperty("json_schema", out var spec) && spec.ValueKind == JsonValueKind.Object
                && spec.TryGetProperty("schema", out var schema) && schema.ValueKind == JsonValueKind.Object
                => new TokenGuidance(TokenGuidance.JsonSchema, schema.GetRawText()),
            "json_schema" => throw new RuntimeRequestException(400, "response_format json_schema needs json_schema.schema, a JSON Schema object."),
            _ => throw new RuntimeRequestException(400, $"response_format type '{type}' is not supported; use text, json_object or json_schema."),
        };
    }

    /// <summary>
    /// The messages as the JSON array GenAI's chat template takes: role (developer becomes system, as OpenAI maps it
    /// for models without a developer role), text content, and name / tool_call_id when given.
    /// </summary>
    public static string MessagesJson(IReadOnlyList<ChatMessage>? messages)
    {
        if (messages is null || messages.Count == 0)
        {
            throw new RuntimeRequestException(400, "messages is required and must not be empty.");
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, RuntimeJson.WriterOptions))
        {
            writer.WriteStartArray();
            for (var i = 0; i < messages.Count; i++)
            {
                var message = messages[i] ?? throw new RuntimeRequestException(400, $"messages[{i}] must be an object.");
                writer.WriteStartObject();
                writer.WriteString("role", Role(message, i));
                writer.WriteString("content", Text(message, i));
                if (message.Name is { } name)
                {
                    writer.WriteString("name", name);
                }

                if (message.ToolCallId is { } toolCallId)
                {
                    writer.WriteString("tool_call_id", toolCallId);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static int TopCount(int count, int max, string field) => count is < 0 || count > max
        ? throw new RuntimeRequestException(400, $"{field} must be within 0..{max}, got {count}.")
        : count;

    private static string Role(ChatMessage message, int index)
    {
        if (message.Unmapped?.FirstOrDefault(f => f.Value.ValueKind != JsonValueKind.Null) is { Key: not null } field)
        {
            var why = field.Key is "tool_calls" or "function_call" ? "function calling is not supported by this server" : "the field is not supported";
            throw new RuntimeRequestException(400, $"Unsupported field 'messages[{index}].{field.Key}': {why}.");
        }

        return message.Role switch
        {
            "developer" => "system",
            { } role when Roles.Contains(role) => role,
            null => throw new RuntimeRequestException(400, $"messages[{index}].role is required."),
            var role => throw new RuntimeRequestException(400, $"messages[{index}].role '{role}' is not one of system, user, assistant, tool, developer."),
        };
    }

    /// <summary>A string, or an array of parts of which only "text" parts are served.</summary>
    private static string Text(ChatMessage message, int index)
    {
        var content = message.Content;
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return content.GetString()!;
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return string.Empty;
            case JsonValueKind.Array:
                var text = new StringBuilder();
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
                    {
                        throw new RuntimeRequestException(400, $"messages[{index}].content parts must be objects with a string 'type'.");
                    }

                    if (type.GetString() != "text" || !part.TryGetProperty("text", out var value) || value.ValueKind != JsonValueKind.String)
                    {
                        throw new RuntimeRequestException(400, $"messages[{index}].content part type '{type.GetString()}' is not supported: this model reads text parts only.");
                    }

                    text.Append(value.GetString());
                }

                return text.ToString();
            default:
                throw new RuntimeRequestException(400, $"messages[{index}].content must be a string or an array of content parts.");
        }
    }

    public static string Prompt(JsonElement? prompt) => prompt switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString()!,
        { ValueKind: JsonValueKind.Array } a when a.GetArrayLength() == 1 && a[0].ValueKind == JsonValueKind.String => a[0].GetString()!,
        _ => throw new RuntimeRequestException(400, "prompt is required and must be a string (or an array of one string)."),
    };
}
