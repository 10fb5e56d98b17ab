using Google.FlatBuffers;

namespace Kaito.Runtime.Adapters;

/// <summary>
/// Reads and writes ONNX Runtime's LoRA adapter file (.onnx_adapter): a flatbuffer with file identifier "TORT",
/// root table Adapter{format_version, adapter_version, model_version, parameters:[Parameter]} and
/// Parameter{name, dims:[long], data_type:int, raw_data:[ubyte] (8-byte aligned)}
/// (onnxruntime/lora/adapter_format/adapter_schema.fbs).
/// </summary>
public static class OnnxAdapterFile
{
    private const string Identifier = "TORT";

    public static IReadOnlyList<AdapterParameter> Read(string path) => Read(File.ReadAllBytes(path));

    public static IReadOnlyList<AdapterParameter> Read(byte[] bytes)
    {
        var buffer = new ByteBuffer(bytes);
        if (!Table.__has_identifier(buffer, Identifier))
        {
            throw new InvalidDataException("Not an ONNX Runtime adapter file (identifier TORT missing).");
        }

        var root = new Table(buffer.GetInt(0), buffer);
        var parameters = new List<AdapterParameter>();
        var vector = root.__offset(10);
        var count = vector == 0 ? 0 : root.__vector_len(vector);
        for (var i = 0; i < count; i++)
        {
            var parameter = new Table(root.__indirect(root.__vector(vector) + (i * 4)), buffer);
            parameters.Add(ReadParameter(parameter, bytes));
        }

        return parameters;
    }

    public static void Write(string path, IReadOnlyList<AdapterParameter> parameters) => File.WriteAllBytes(path, Write(parameters));

    public static byte[] Write(IReadOnlyList<AdapterParameter> parameters)
    {
        var builder = new FlatBufferBuilder(1024);
        var offsets = new int[parameters.Count];
        for (var i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            var name = builder.CreateString(parameter.Name);
            builder.StartVector(sizeof(long), parameter.Dims.Length, sizeof(long));
            for (var d = parameter.Dims.Length - 1; d >= 0; d--)
            {
                builder.AddLong(parameter.Dims[d]);
            }

            var dims = builder.EndVector();
            builder.StartVector(1, parameter.Data.Length, 8);
            builder.Add(new ArraySegment<byte>(parameter.Data));
            var raw = builder.EndVector();
            builder.StartTable(4);
            builder.AddOffset(0, name.Value, 0);
            builder.AddOffset(1, dims.Value, 0);
            builder.AddInt(2, parameter.DataType, 0);
            builder.AddOffset(3, raw.Value, 0);
            offsets[i] = builder.EndTable();
        }

        builder.StartVector(sizeof(int), offsets.Length, sizeof(int));
        for (var i = offsets.Length - 1; i >= 0; i--)
        {
            builder.AddOffset(offsets[i]);
        }

        var vector = builder.EndVector();
        builder.StartTable(4);
        builder.AddInt(0, 1, 0);
        builder.AddOffset(3, vector.Value, 0);
        builder.Finish(builder.EndTable(), Identifier);
        return builder.SizedByteArray();
    }

    private static AdapterParameter ReadParameter(Table table, byte[] bytes)
    {
        var nameOffset = table.__offset(4);
        var name = nameOffset == 0 ? string.Empty : table.__string(table.bb_pos + nameOffset);
        var dimsOffset = table.__offset(6);
        var dims = new long[dimsOffset == 0 ? 0 : table.__vector_len(dimsOffset)];
        for (var d = 0; d < dims.Length; d++)
        {
            dims[d] = table.bb.GetLong(table.__vector(dimsOffset) + (d * sizeof(long)));
        }

        var typeOffset = table.__offset(8);
        var dataType = typeOffset == 0 ? 0 : table.bb.GetInt(table.bb_pos + typeOffset);
        var rawOffset = table.__offset(10);
        var data = rawOffset == 0 ? [] : bytes.AsSpan(table.__vector(rawOffset), table.__vector_len(rawOffset)).ToArray();
        return new AdapterParameter(name, dims, dataType, data);
    }
}
