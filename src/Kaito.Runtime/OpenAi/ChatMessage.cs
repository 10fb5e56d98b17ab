using System.Text.Json;

namespace Kaito.Runtime.OpenAi;

/// <summary>A chat message; content is a string or an array of content parts (their text parts are joined).</summary>
public sealed record ChatMessage(string? Role, JsonElement Content)
{
    public string Text => Content.ValueKind switch
    {
        JsonValueKind.String => Content.GetString() ?? string.Empty,
        JsonValueKind.Array => string.Concat(Content.EnumerateArray()
            .Where(p => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("text", out _))
            .Select(p => p.GetProperty("text").GetString())),
        _ => string.Empty,
    };
}
