using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kaito.Runtime.Tests.Support;

/// <summary>
/// Writes a PEFT LoRA adapter folder as Hugging Face PEFT saves one: adapter_config.json and
/// adapter_model.safetensors (8-byte little-endian header length, JSON header, raw little-endian data).
/// </summary>
public static class PeftAdapterWriter
{
    public sealed record Tensor(string Name, long[] Shape, float[] Values, string DataType = "F32");

    public static string Write(string folder, int rank, double alpha, IEnumerable<Tensor> tensors, string[]? targetModules = null, Action<JsonObject>? editConfig = null)
    {
        Directory.CreateDirectory(folder);
        var config = new JsonObject
        {
            ["peft_type"] = "LORA",
            ["task_type"] = "CAUSAL_LM",
            ["r"] = rank,
            ["lora_alpha"] = alpha,
            ["lora_dropout"] = 0.05,
            ["bias"] = "none",
            ["target_modules"] = new JsonArray([.. (targetModules ?? ["q_proj", "v_proj"]).Select(m => (JsonNode)m)]),
        };
        editConfig?.Invoke(config);
        File.WriteAllText(Path.Combine(folder, "adapter_config.json"), config.ToJsonString());
        File.WriteAllBytes(Path.Combine(folder, "adapter_model.safetensors"), Safetensors(tensors));
        return folder;
    }

    public static byte[] Safetensors(IEnumerable<Tensor> tensors)
    {
        var header = new JsonObject { ["__metadata__"] = new JsonObject { ["format"] = "pt" } };
        var data = new MemoryStream();
        foreach (var tensor in tensors)
        {
            var bytes = Encode(tensor);
            header[tensor.Name] = new JsonObject
            {
                ["dtype"] = tensor.DataType,
                ["shape"] = new JsonArray([.. tensor.Shape.Select(d => (JsonNode)d)]),
                ["data_offsets"] = new JsonArray(data.Length, data.Length + bytes.Length),
            };
            data.Write(bytes);
        }

        var json = Encoding.UTF8.GetBytes(header.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
        var length = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)json.Length);
        return [.. length, .. json, .. data.ToArray()];
    }

    private static byte[] Encode(Tensor tensor) => tensor.DataType switch
    {
        "F32" => MemoryMarshal.AsBytes(tensor.Values.AsSpan()).ToArray(),
        "F16" => MemoryMarshal.AsBytes(tensor.Values.Select(v => (Half)v).ToArray().AsSpan()).ToArray(),
        "BF16" => MemoryMarshal.AsBytes(tensor.Values.Select(v => (ushort)(BitConverter.SingleToInt32Bits(v) >>> 16)).ToArray().AsSpan()).ToArray(),
        _ => throw new ArgumentException($"dtype {tensor.DataType}", nameof(tensor)),
    };
}
