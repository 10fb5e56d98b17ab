using System.Text;

namespace Kaito.Runtime.Onnx;

/// <summary>
/// Reads the graph inputs of an ONNX model file without loading it: a forward-only protobuf reader that walks
/// ModelProto.graph (7) -> GraphProto.input (11) -> ValueInfoProto{name 1, type 2 -> TypeProto.tensor_type 1 ->
/// {elem_type 1, shape 2 -> dim 1 -> {dim_value 1, dim_param 2}}} and seeks past everything else (initializers can be
/// gigabytes), following onnx.proto's field numbers.
/// </summary>
public static class OnnxGraphInputs
{
    public static IReadOnlyList<OnnxGraphInput> Read(string modelFile)
    {
        using var stream = new FileStream(modelFile, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var inputs = new List<OnnxGraphInput>();
        var reader = new Reader(stream);
        while (reader.Position < stream.Length)
        {
            var (field, wire) = reader.Tag();
            if (field == 7 && wire == 2)
            {
                var graphEnd = reader.Length() + reader.Position;
                while (reader.Position < graphEnd)
                {
                    var (graphField, graphWire) = reader.Tag();
                    if (graphField == 11 && graphWire == 2)
                    {
                        inputs.Add(ValueInfo(reader.Bytes()));
                    }
                    else
                    {
                        reader.Skip(graphWire);
                    }
                }
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return inputs;
    }

    private static OnnxGraphInput ValueInfo(byte[] message)
    {
        var name = string.Empty;
        var elementType = 0;
        var dims = new List<long?>();
        var names = new List<string?>();
        foreach (var (field, value) in Fields(message))
        {
            if (field == 1)
            {
                name = Encoding.UTF8.GetString(value);
            }
            else if (field == 2)
            {
                foreach (var tensorType in Fields(value).Where(f => f.Field == 1).Select(f => f.Value))
                {
                    foreach (var (tensorField, tensorValue) in FieldsWithVarints(tensorType))
                    {
                        if (tensorField == 1)
                        {
                            elementType = (int)tensorValue.Varint;
                        }
                        else if (tensorField == 2)
                        {
                            foreach (var (_, dim) in Fields(tensorValue.Bytes).Where(f => f.Field == 1))
                            {
                                var (size, symbol) = Dimension(dim);
                                dims.Add(size);
                                names.Add(symbol);
                            }
                        }
                    }
                }
            }
        }

        return new OnnxGraphInput(name, elementType, [.. dims], [.. names]);
    }

    private static (long? Size, string? Symbol) Dimension(byte[] message)
    {
        long? size = null;
        string? symbol = null;
        foreach (var (field, value) in FieldsWithVarints(message))
        {
            if (field == 1)
            {
                size = value.Varint;
            }
            else if (field == 2)
            {
                symbol = Encoding.UTF8.GetString(value.Bytes);
            }
        }

        return (size, symbol);
    }

    private static IEnumerable<(int Field, byte[] Value)> Fields(byte[] message) =>
        FieldsWithVarints(message).Where(f => f.Value.Bytes is not null).Select(f => (f.Field, f.Value.Bytes));

    private static List<(int Field, (long Varint, byte[] Bytes) Value)> FieldsWithVarints(byte[] message)
    {
        using var stream = new MemoryStream(message, writable: false);
        var reader = new Reader(stream);
        var fields = new List<(int, (long, byte[]))>();
        while (reader.Position < stream.Length)
        {
            var (field, wire) = reader.Tag();
            switch (wire)
            {
                case 0:
                    fields.Add((field, (reader.Varint(), null!)));
                    break;
                case 2:
                    fields.Add((field, (0, reader.Bytes())));
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return fields;
    }

    private sealed class Reader(Stream stream)
    {
        public long Position => stream.Position;

        public (int Field, int Wire) Tag()
        {
            var tag = Varint();
            return ((int)(tag >> 3), (int)(tag & 7));
        }

        public long Varint()
        {
            long value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = stream.ReadByte();
                if (b < 0)
                {
                    throw new InvalidDataException("The ONNX model file ends inside a field.");
                }

                value |= (long)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }

            throw new InvalidDataException("The ONNX model file has a malformed varint.");
        }

        public long Length()
        {
            var length = Varint();
            return length < 0 || length > stream.Length - stream.Position
                ? throw new InvalidDataException("The ONNX model file has a field longer than the file.")
                : length;
        }

        public byte[] Bytes()
        {
            var bytes = new byte[Length()];
            stream.ReadExactly(bytes);
            return bytes;
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0:
                    Varint();
                    break;
                case 1:
                    stream.Seek(8, SeekOrigin.Current);
                    break;
                case 2:
                    stream.Seek(Length(), SeekOrigin.Current);
                    break;
                case 5:
                    stream.Seek(4, SeekOrigin.Current);
                    break;
                default:
                    throw new InvalidDataException($"The ONNX model file has an unsupported protobuf wire type {wire}.");
            }
        }
    }
}
