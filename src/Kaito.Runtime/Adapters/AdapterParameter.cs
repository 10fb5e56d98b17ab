namespace Kaito.Runtime.Adapters;

/// <summary>One named tensor of an ONNX Runtime adapter; <see cref="Data"/> is little-endian raw data.</summary>
/// <param name="DataType">ONNX element type: 1 = float32, 10 = float16.</param>
public sealed record AdapterParameter(string Name, long[] Dims, int DataType, byte[] Data)
{
    public const int Float32 = 1;
    public const int Float16 = 10;
}
