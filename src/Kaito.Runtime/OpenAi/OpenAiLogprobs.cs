using System.Text;
using System.Text.Json;
using Kaito.Runtime.Generation;

namespace Kaito.Runtime.OpenAi;

/// <summary>
/// Token log probabilities in OpenAI's two shapes: chat's <c>{"content":[{token, logprob, bytes, top_logprobs}]}</c>
/// and completions' <c>{tokens, token_logprobs, top_logprobs, text_offset}</c>.
/// </summary>
public static class OpenAiLogprobs
{
    public static JsonElement Chat(IReadOnlyList<TokenLogprob> tokens) => Build(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("content");
        foreach (var token in tokens)
        {
            writer.WriteStartObject();
            WriteToken(writer, token.Token, token.Logprob);
            writer.WriteStartArray("top_logprobs");
            foreach (var top in token.Top)
            {
                writer.WriteStartObject();
                WriteToken(writer, top.Token, top.Logprob);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteNull("refusal");
        writer.WriteEndObject();
    });

    /// <param name="offset">Where the first token starts in the choice's text (for text_offset).</param>
    public static JsonElement Text(IReadOnlyList<TokenLogprob> tokens, int offset) => Build(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("tokens");
        foreach (var token in tokens)
        {
            writer.WriteStringValue(token.Token);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("token_logprobs");
        foreach (var token in tokens)
        {
            writer.WriteNumberValue(Finite(token.Logprob));
        }

        writer.WriteEndArray();
        writer.WriteStartArray("top_logprobs");
        foreach (var token in tokens)
        {
            writer.WriteStartObject();
            foreach (var top in token.Top)
            {
                writer.WriteNumber(top.Token, Finite(top.Logprob));
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("text_offset");
        foreach (var token in tokens)
        {
            writer.WriteNumberValue(offset);
            offset += token.Token.Length;
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private static void WriteToken(Utf8JsonWriter writer, string token, float logprob)
    {
        writer.WriteString("token", token);
        writer.WriteNumber("logprob", Finite(logprob));
        writer.WriteStartArray("bytes");
        foreach (var b in Encoding.UTF8.GetBytes(token))
        {
            writer.WriteNumberValue(b);
        }

        writer.WriteEndArray();
    }

    /// <summary>JSON has no -Infinity: a probability that underflows is written as -9999, as vLLM does.</summary>
    private static float Finite(float logprob) => float.IsFinite(logprob) ? logprob : -9999f;

    private static JsonElement Build(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, RuntimeJson.WriterOptions))
        {
            write(writer);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
