using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kaito.Runtime.OpenAi;

/// <summary>
/// A chat message: content is a string or an array of text parts (joined). Name and tool_call_id go to the chat
/// template as given; any other field lands in <see cref="Unmapped"/> and is refused.
/// </summary>
public sealed record ChatMessage(string? Role, JsonElement Content, string? Name = null, string? ToolCallId = null)
{
    [JsonIgnore]
    public Dictionary<string, JsonElement>? Unmapped { get; init; }
}
