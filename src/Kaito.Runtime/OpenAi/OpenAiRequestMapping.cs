using System.Text;
using System.Text.Json;
using Kaito.Runtime.Adapters;
using Kaito.Runtime.Generation;
using Kaito.Runtime.Serving;

namespace Kaito.Runtime.OpenAi;

/// <summary>Turns OpenAI request fields into generation settings, with OpenAI's meaning of each.</summary>
public static class OpenAiRequestMapping
{
    /// <summary>temperature 0 is greedy search; otherwise sampling (OpenAI's default temperature is 1).</summary>
    public static SamplingSettings Sampling(double? temperature, double? topP, long? seed)
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

        return t == 0 ? SamplingSettings.Greedy with { Seed = seed } : new SamplingSettings(true, t, 50, topP ?? 1.0, Seed: seed);
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

    /// <summary>The messages as the JSON array GenAI's chat template takes (role and text content).</summary>
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
            foreach (var message in messages)
            {
                writer.WriteStartObject();
                writer.WriteString("role", message.Role ?? "user");
                writer.WriteString("content", message.Text);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string Prompt(JsonElement? prompt) => prompt switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString()!,
        { ValueKind: JsonValueKind.Array } a when a.GetArrayLength() == 1 && a[0].ValueKind == JsonValueKind.String => a[0].GetString()!,
        _ => throw new RuntimeRequestException(400, "prompt is required and must be a string (or an array of one string)."),
    };
}
