using System.Text.Json;
using Kaito.Runtime.Serving;

namespace Kaito.Runtime.OpenAi;

/// <summary>
/// What the server does with each OpenAI field it has no property for: accepts it because it cannot change the answer
/// (identifiers, a neutral value), or refuses it with a 400 naming the field and why. A field OpenAI does not define
/// is refused too, so nothing a client sends is silently ignored. docs/runtime.md has the table.
/// </summary>
public static class OpenAiFieldPolicy
{
    private const string NoTools = "function calling is not supported by this server";
    private const string NoStorage = "stored completions are not supported";

    /// <summary>Field name to the refusal for a value, or null when the value is accepted.</summary>
    private static readonly Dictionary<string, Func<JsonElement, string?>> Shared = new(StringComparer.Ordinal)
    {
        ["user"] = Identifier,
        ["safety_identifier"] = Identifier,
        ["prompt_cache_key"] = Identifier,
        ["frequency_penalty"] = v => IsZero(v) ? null : "only 0 is supported (GenAI has no frequency penalty)",
        ["presence_penalty"] = v => IsZero(v) ? null : "only 0 is supported (GenAI has no presence penalty)",
        ["logit_bias"] = v => IsEmptyObject(v) ? null : "per-token logit bias is not supported",
        ["service_tier"] = v => v.ValueKind == JsonValueKind.String && v.GetString() is "auto" or "default" ? null : "only \"auto\" and \"default\" are served",
    };

    private static readonly Dictionary<string, Func<JsonElement, string?>> ChatOnly = new(StringComparer.Ordinal)
    {
        ["tools"] = v => IsEmptyArray(v) ? null : NoTools,
        ["tool_choice"] = v => v.ValueKind == JsonValueKind.String && v.GetString() == "none" ? null : NoTools,
        ["parallel_tool_calls"] = v => v.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : "must be a boolean",
        ["functions"] = v => IsEmptyArray(v) ? null : NoTools,
        ["function_call"] = v => v.ValueKind == JsonValueKind.String && v.GetString() == "none" ? null : NoTools,
        ["store"] = v => v.ValueKind == JsonValueKind.False ? null : NoStorage,
        ["metadata"] = v => IsEmptyObject(v) ? null : NoStorage,
        ["modalities"] = v => v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(m => m.ValueKind == JsonValueKind.String && m.GetString() == "text") ? null : "only [\"text\"] is served",
        ["audio"] = _ => "audio output is not supported",
        ["prediction"] = _ => "predicted outputs are not supported",
        ["web_search_options"] = _ => "web search is not supported",
        ["reasoning_effort"] = _ => "this server does not control reasoning effort",
        ["verbosity"] = _ => "this server does not control verbosity",
    };

    private static readonly Dictionary<string, Func<JsonElement, string?>> CompletionsOnly = new(StringComparer.Ordinal)
    {
        ["echo"] = v => v.ValueKind == JsonValueKind.False ? null : "echoing the prompt is not supported",
        ["suffix"] = v => v.ValueKind == JsonValueKind.String && v.GetString()!.Length == 0 ? null : "insertion (suffix) is not supported",
        ["best_of"] = v => v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var b) && b == 1 ? null : "only 1 is supported; use n for several choices",
    };

    /// <summary>Throws a 400 naming the first field that is refused; JSON null counts as absent.</summary>
    public static void Check(IGenerationFields request, bool chat)
    {
        if (request.Unmapped is not { } unmapped)
        {
            return;
        }

        var own = chat ? ChatOnly : CompletionsOnly;
        foreach (var (name, value) in unmapped)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            var reason = own.TryGetValue(name, out var rule) || Shared.TryGetValue(name, out rule)
                ? rule(value)
                : "this field is unknown to " + (chat ? "/v1/chat/completions" : "/v1/completions");
            if (reason is not null)
            {
                throw new RuntimeRequestException(400, $"Unsupported value for '{name}': {reason}.");
            }
        }
    }

    private static string? Identifier(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? null : "must be a string";

    private static bool IsZero(JsonElement value) => value.ValueKind == JsonValueKind.Number && value.GetDouble() == 0;

    private static bool IsEmptyObject(JsonElement value) => value.ValueKind == JsonValueKind.Object && !value.EnumerateObject().Any();

    private static bool IsEmptyArray(JsonElement value) => value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0;
}
