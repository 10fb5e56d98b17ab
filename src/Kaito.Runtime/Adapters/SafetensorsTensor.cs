namespace Kaito.Runtime.Adapters;

/// <summary>One tensor of a safetensors file, widened to float32 (row-major, as stored).</summary>
/// <param name="DataType">The stored dtype: F32, F16 or BF16.</param>
public sealed record SafetensorsTensor(string Name, string DataType, long[] Shape, float[] Values);
