using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Kaito.Runtime.Adapters;

/// <summary>
/// Reads Hugging Face's safetensors format: an 8-byte little-endian header length, a JSON header mapping each tensor
/// name to {dtype, shape, data_offsets:[begin, end]} (offsets into the data after the header; "__metadata__" holds
/// strings), then the raw little-endian data. F32, F16 and BF16 are read (as float32); any other dtype is refused.
/// </summary>
public static class SafetensorsFile
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    public static IReadOnlyList<SafetensorsTensor> Read(string path) => Read(File.ReadAllBytes(path));

    public static IReadOnlyList<SafetensorsTensor> Read(byte[] bytes)
    {
        if (bytes.Length < 8)
        {
            throw new InvalidDataException($"not a safetensors file: {bytes.Length} bytes, shorter than the 8-byte header length.");
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderBytes || headerLength > (ulong)(bytes.Length - 8))
        {
            throw new InvalidDataException($"not a safetensors file: header length {headerLength} does not fit the file of {bytes.Length} bytes.");
        }

        var data = bytes.AsMemory(8 + (int)headerLength);
        JsonDocument header;
        try
        {
            header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"not a safetensors file: the header is not JSON ({error.Message}).", error);
        }

        using (header)
        {
            if (header.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException("not a safetensors file: the header is not a JSON object.");
            }

            var tensors = new List<SafetensorsTensor>();
            foreach (var entry in header.RootElement.EnumerateObject())
            {
                if (entry.Name != "__metadata__")
                {
                    tensors.Add(ReadTensor(entry, data.Span));
                }
            }

            return tensors;
        }
    }

    /// <summary>The product of the dims; -1 for a negative dim or a product past what an array can hold.</summary>
    private static long ElementCount(long[] shape)
    {
        var count = 1L;
        foreach (var dim in shape)
        {
            if (dim < 0 || (dim > 0 && count > Array.MaxLength / dim))
            {
                return -1;
            }

            count *= dim;
        }

        return count;
    }

    private static SafetensorsTensor ReadTensor(JsonProperty entry, ReadOnlySpan<byte> data)
    {
        var name = entry.Name;
        long[] shape;
        string dtype;
        long begin, end;
        try
        {
            dtype = entry.Value.GetProperty("dtype").GetString() ?? string.Empty;
            shape = [.. entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())];
            var offsets = entry.Value.GetProperty("data_offsets");
            begin = offsets[0].GetInt64();
            end = offsets[1].GetInt64();
        }
        catch (Exception error) when (error is KeyNotFoundException or InvalidOperationException or FormatException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"safetensors tensor {name}: the header entry needs dtype, shape and data_offsets ({error.Message}).", error);
        }

        var elementSize = dtype switch
        {
            "F32" => 4,
            "F16" or "BF16" => 2,
            _ => throw new InvalidDataException($"safetensors tensor {name} has dtype {dtype}; only F32, F16 and BF16 are supported."),
        };
        var count = ElementCount(shape);
        if (count < 0 || begin < 0 || end < begin || end > data.Length || end - begin != count * elementSize)
        {
            throw new InvalidDataException(
                $"safetensors tensor {name}: data_offsets [{begin}, {end}] do not hold {dtype} [{string.Join(", ", shape)}] within {data.Length} data bytes.");
        }

        var raw = data[(int)begin..(int)end];
        var values = new float[count];
        switch (dtype)
        {
            case "F32":
                MemoryMarshal.Cast<byte, float>(raw).CopyTo(values);
                break;
            case "F16":
                var halves = MemoryMarshal.Cast<byte, Half>(raw);
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = (float)halves[i];
                }

                break;
            default:
                var brains = MemoryMarshal.Cast<byte, ushort>(raw);
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = BitConverter.Int32BitsToSingle(brains[i] << 16);
                }

                break;
        }

        return new SafetensorsTensor(name, dtype, shape, values);
    }
}
