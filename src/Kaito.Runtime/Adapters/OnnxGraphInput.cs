namespace Kaito.Runtime.Adapters;

/// <summary>A graph input of an ONNX model: its element type (1 float, 10 float16, 16 bfloat16, ...) and its dims.</summary>
/// <param name="Dims">Each dim: a fixed size, or null for a symbolic one (named in <paramref name="DimNames"/>).</param>
public sealed record OnnxGraphInput(string Name, int ElementType, long?[] Dims, string?[] DimNames)
{
    /// <summary>"[16, lora_rank]": how the shape reads in messages.</summary>
    public string ShapeText => "[" + string.Join(", ", Dims.Select((d, i) => d?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? DimNames[i] ?? "?")) + "]";
}
