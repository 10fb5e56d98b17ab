using System.Runtime.InteropServices;

namespace Kaito.Runtime.Adapters;

/// <summary>One named tensor of an ONNX Runtime adapter; <see cref="Data"/> is little-endian raw data.</summary>
/// <param name="DataType">ONNX element type: 1 = float32, 10 = float16.</param>
public sealed record AdapterParameter(string Name, long[] Dims, int DataType, byte[] Data)
{
    public const int Float32 = 1;
    public const int Float16 = 10;

    /// <summary>Bytes per element of a type adapters can hold, or 0 for any other type.</summary>
    public static int ElementSize(int dataType) => dataType switch
    {
        Float32 => 4,
        Float16 => 2,
        _ => 0,
    };

    /// <summary>A float32 or float16 parameter from float values (rounded to nearest for float16).</summary>
    public static AdapterParameter FromFloats(string name, long[] dims, int dataType, ReadOnlySpan<float> values)
    {
        switch (dataType)
        {
            case Float32:
                return new AdapterParameter(name, dims, dataType, MemoryMarshal.AsBytes(values).ToArray());
            case Float16:
                var halves = new Half[values.Length];
                for (var i = 0; i < values.Length; i++)
                {
                    halves[i] = (Half)values[i];
                }

                return new AdapterParameter(name, dims, dataType, MemoryMarshal.AsBytes(halves.AsSpan()).ToArray());
            default:
                throw new InvalidDataException($"{name}: adapters hold float32 or float16 tensors, not ONNX element type {dataType}.");
        }
    }
}
