using System.Globalization;
using System.Text.Json;
using Kaito.Runtime.Onnx;

namespace Kaito.Runtime.Serving;

/// <summary>
/// The shape of a model's KV cache: per token it holds a key and a value vector of <see cref="HeadSize"/> elements for
/// each KV head in each layer, so one token costs 2 x layers x KV heads x head size x element bytes.
/// </summary>
/// <param name="ElementSource">Where the element size came from (the model's past key input, or a fallback).</param>
public sealed record KvCacheLayout(int Layers, int KvHeads, int HeadSize, int ElementBytes, string ElementSource)
{
    private const int FallbackElementBytes = 4;

    public long BytesPerToken => 2L * Layers * KvHeads * HeadSize * ElementBytes;

    /// <summary>
    /// Reads <c>genai_config.json</c> (model.decoder.num_hidden_layers, num_key_value_heads, head_size, filename,
    /// inputs.past_key_names) and the element type of the first past key input in the decoder's ONNX file. When that
    /// input cannot be read the element size is taken as 4 bytes (float32), which overestimates a float16 cache.
    /// </summary>
    public static KvCacheLayout Read(string modelDirectory)
    {
        var configPath = Path.Combine(modelDirectory, "genai_config.json");
        using var config = JsonDocument.Parse(File.ReadAllBytes(configPath));
        var decoder = config.RootElement.GetProperty("model").GetProperty("decoder");
        var layers = Required(decoder, "num_hidden_layers", configPath);
        var heads = decoder.TryGetProperty("num_key_value_heads", out var kv) ? kv.GetInt32() : Required(decoder, "num_attention_heads", configPath);
        var headSize = decoder.TryGetProperty("head_size", out var size)
            ? size.GetInt32()
            : Required(decoder, "hidden_size", configPath) / Required(decoder, "num_attention_heads", configPath);
        var file = decoder.TryGetProperty("filename", out var name) ? name.GetString() ?? "model.onnx" : "model.onnx";
        var pastKeys = decoder.TryGetProperty("inputs", out var inputs) && inputs.TryGetProperty("past_key_names", out var pattern)
            ? pattern.GetString() ?? "past_key_values.%d.key"
            : "past_key_values.%d.key";
        var (bytes, source) = ElementSize(Path.Combine(modelDirectory, file), pastKeys.Replace("%d", "0", StringComparison.Ordinal));
        return new KvCacheLayout(layers, heads, headSize, bytes, source);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{BytesPerToken} bytes per token = 2 x {Layers} layers x {KvHeads} KV heads x {HeadSize} head size x {ElementBytes} bytes ({ElementSource})");

    private static (int Bytes, string Source) ElementSize(string modelPath, string input)
    {
        try
        {
            if (OnnxGraphInputs.Read(modelPath).FirstOrDefault(i => i.Name == input) is { ElementBytes: { } bytes } found)
            {
                return (bytes, $"{input} is ONNX type {found.ElementType}");
            }

            return (FallbackElementBytes, $"{input} not found in {Path.GetFileName(modelPath)}, assumed float32");
        }
        catch (Exception error) when (error is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return (FallbackElementBytes, $"{Path.GetFileName(modelPath)} unreadable ({error.Message}), assumed float32");
        }
    }

    private static int Required(JsonElement decoder, string property, string path) =>
        decoder.TryGetProperty(property, out var value)
            ? value.GetInt32()
            : throw new InvalidDataException($"{path} has no model.decoder.{property}, needed to size the KV cache.");
}
