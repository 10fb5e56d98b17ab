namespace Kaito.Runtime.Generation;

/// <summary>
/// GenAI guidance (llguidance): <see cref="Type"/> is "json_schema", "regex" or "lark_grammar"; <see cref="Data"/>
/// the schema or grammar text.
/// </summary>
public sealed record TokenGuidance(string Type, string Data)
{
    public const string JsonSchema = "json_schema";

    /// <summary>Any JSON object: what OpenAI's response_format json_object asks for.</summary>
    public static TokenGuidance JsonObject { get; } = new(JsonSchema, "{\"type\":\"object\"}");
}
