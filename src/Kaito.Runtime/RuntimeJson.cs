using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kaito.Runtime;

/// <summary>
/// The serializer settings for every body: the source-generated context with the relaxed encoder, so generated text
/// goes out as UTF-8 ("&lt;", "é", "日本") rather than \uXXXX escapes.
/// </summary>
public static class RuntimeJson
{
    public static JavaScriptEncoder Encoder { get; } = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static RuntimeJsonContext Context { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = Encoder,
    });

    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = Encoder };
}
