namespace Kaito.Runtime.Serving;

/// <summary>
/// Reads the element types of a model.onnx's graph inputs without loading the model: a minimal protobuf walk over
/// ModelProto.graph (7) -> GraphProto.input (11) -> ValueInfoProto {name (1), type (2) -> tensor_type (1) -> elem_type
/// (1)}. Every other field, the weights included, is skipped by seeking, so a multi-gigabyte file costs a few reads.
/// </summary>
public static class OnnxInputTypes
{
    /// <summary>ONNX TensorProto.DataType values and their sizes in bytes.</summary>
    public static int? ElementSize(int elementType) => elementType switch
    {
        1 or 6 or 12 => 4, // float, int32, uint32
        10 or 16 or 4 or 5 => 2, // float16, bfloat16, uint16, int16
        11 or 7 or 13 => 8, // double, int64, uint64
        2 or 3 or 17 or 18 or 19 or 20 => 1, // uint8, int8, float8 variants
        _ => null,
    };

    /// <summary>The element type of each graph input, by name.</summary>
    public static Dictionary<string, int> Read(string modelPath)
    {
        using var stream = new FileStream(modelPath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
        var inputs = new Dictionary<string, int>(StringComparer.Ordinal);
        ForEachField(stream, stream.Length, (field, end) =>
        {
            if (field == 7)
            {
                ForEachField(stream, end, (graphField, inputEnd) =>
                {
                    if (graphField == 11)
                    {
                        var (name, type) = ReadValueInfo(stream, inputEnd);
                        if (name is not null && type is { } elementType)
                        {
                            inputs[name] = elementType;
                        }
                    }
                });
            }
        });
        return inputs;
    }

    private static (string? Name, int? ElementType) ReadValueInfo(Stream stream, long end)
    {
        string? name = null;
        int? elementType = null;
        ForEachField(stream, end, (field, fieldEnd) =>
        {
            if (field == 1)
            {
                var bytes = new byte[fieldEnd - stream.Position];
                stream.ReadExactly(bytes);
                name = System.Text.Encoding.UTF8.GetString(bytes);
            }
            else if (field == 2)
            {
                ForEachField(stream, fieldEnd, (typeField, tensorEnd) =>
                {
                    if (typeField == 1)
                    {
                        elementType = ReadTensorElementType(stream, tensorEnd);
                    }
                });
            }
        });
        return (name, elementType);
    }

    private static int? ReadTensorElementType(Stream stream, long end)
    {
        int? elementType = null;
        while (stream.Position < end)
        {
            var key = ReadVarint(stream);
            if (key == (1 << 3)) // field 1, varint
            {
                elementType = (int)ReadVarint(stream);
            }
            else
            {
                Skip(stream, (int)(key & 7));
            }
        }

        stream.Position = end;
        return elementType;
    }

    /// <summary>Calls <paramref name="onMessage"/> for each length-delimited field (positioned at its start, given its end); skips the rest.</summary>
    private static void ForEachField(Stream stream, long end, Action<int, long> onMessage)
    {
        while (stream.Position < end)
        {
            var key = ReadVarint(stream);
            var field = (int)(key >> 3);
            var wireType = (int)(key & 7);
            if (wireType != 2)
            {
                Skip(stream, wireType);
                continue;
            }

            var length = (long)ReadVarint(stream);
            var fieldEnd = stream.Position + length;
            if (fieldEnd > end)
            {
                throw new InvalidDataException("The ONNX file is truncated or not an ONNX model.");
            }

            onMessage(field, fieldEnd);
            stream.Position = fieldEnd;
        }
    }

    private static void Skip(Stream stream, int wireType)
    {
        switch (wireType)
        {
            case 0:
                ReadVarint(stream);
                break;
            case 1:
                stream.Seek(8, SeekOrigin.Current);
                break;
            case 2:
                var length = (long)ReadVarint(stream);
                stream.Seek(length, SeekOrigin.Current);
                break;
            case 5:
                stream.Seek(4, SeekOrigin.Current);
                break;
            default:
                throw new InvalidDataException($"Unsupported protobuf wire type {wireType}: not an ONNX model.");
        }
    }

    private static ulong ReadVarint(Stream stream)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = stream.ReadByte();
            if (b < 0)
            {
                throw new InvalidDataException("The ONNX file ends inside a field.");
            }

            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new InvalidDataException("Malformed varint in the ONNX file.");
    }
}
