using System.Text.Json.Serialization;

namespace Kaito.Runtime.Kaito;

/// <summary>The /chat answer: upstream spells the field with a capital R.</summary>
public sealed record KaitoChatResult([property: JsonPropertyName("Result")] string Result);
