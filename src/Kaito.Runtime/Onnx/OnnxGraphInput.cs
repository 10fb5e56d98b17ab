namespace Kaito.Runtime.Onnx;

/// <summary>A graph input of an ONNX model: its element type (1 float, 10 float16, 16 bfloat16, ...) and its dims.</summary>
/// <param name="Dims">Each dim: a fixed size, or null for a symbolic one (named in <paramref name="DimNames"/>).</param>
public sealed record OnnxGraphInput(string Name, int ElementType, long?[] Dims, string?[] DimNames)
{
    /// <summary>"[16, lora_rank]": how the shape reads in messages.</summary>
    /// <summary>The size in bytes of one element (ONNX TensorProto.DataType), or null for a type without a fixed size.</summary>
    public int? ElementBytes => ElementType switch
    {
        1 or 6 or 12 => 4, // float, int32, uint32
        10 or 16 or 4 or 5 => 2, // float16, bfloat16, uint16, int16
        11 or 7 or 13 => 8, // double, int64, uint64
        2 or 3 or 17 or 18 or 19 or 20 => 1, // uint8, int8, float8 variants
        _ => null,
    };

    public string ShapeText => "[" + string.Join(", ", Dims.Select((d, i) => d?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? DimNames[i] ?? "?")) + "]";
}
