using Kaito.Runtime.Adapters;
using Kaito.Runtime.TestModel;
using Kaito.Runtime.Tests.Support;

namespace Kaito.Runtime.Tests.Adapters;

/// <summary>
/// Random PEFT adapters for <see cref="TestModelFiles.LoraModel"/> and, computed here independently of the server's
/// converter, the ONNX Runtime adapter that applies the same update: A transposed, B transposed times a scale.
/// </summary>
public static class PeftAdapterSamples
{
    public static IReadOnlyList<PeftAdapterWriter.Tensor> Tensors(int rank, int seed, string dataType = "F32", IEnumerable<string>? projections = null)
    {
        var random = new Random(seed);
        var options = TestModelFiles.LoraModel;
        var tensors = new List<PeftAdapterWriter.Tensor>();
        for (var layer = 0; layer < options.Layers; layer++)
        {
            foreach (var projection in projections ?? options.LoraTargets!)
            {
                var (inWidth, outWidth) = options.ProjectionShape(projection);
                var block = TinyModelOptions.MlpProjections.Contains(projection) ? "mlp" : "self_attn";
                var module = $"base_model.model.model.layers.{layer}.{block}.{projection}";
                tensors.Add(new($"{module}.lora_A.weight", [rank, inWidth], Values(random, rank * inWidth), dataType));
                tensors.Add(new($"{module}.lora_B.weight", [outWidth, rank], Values(random, outWidth * rank), dataType));
            }
        }

        return tensors;
    }

    /// <summary>The .onnx_adapter equivalent: builder names, A^T [in, r], scale·B^T [r, out], float32.</summary>
    public static IReadOnlyList<AdapterParameter> OnnxEquivalent(IReadOnlyList<PeftAdapterWriter.Tensor> tensors, float scale) =>
    [
        .. tensors.Select(t =>
        {
            var parts = t.Name.Split('.'); // base_model.model.model.layers.{i}.{block}.{proj}.lora_{X}.weight: [4] layer, [6] proj, [7] lora_X
            var matrix = parts[7][^1];
            var name = TinyModelOptions.LoraInputName(int.Parse(parts[4], System.Globalization.CultureInfo.InvariantCulture), parts[6], matrix);
            var (rows, columns) = ((int)t.Shape[0], (int)t.Shape[1]);
            var values = new float[t.Values.Length];
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < columns; c++)
                {
                    values[(c * rows) + r] = t.Values[(r * columns) + c] * (matrix == 'B' ? scale : 1f);
                }
            }

            return AdapterParameter.FromFloats(name, [columns, rows], AdapterParameter.Float32, values);
        }),
    ];

    public static void WriteOnnxAdapter(string folder, IReadOnlyList<AdapterParameter> parameters)
    {
        Directory.CreateDirectory(folder);
        OnnxAdapterFile.Write(Path.Combine(folder, "adapter.onnx_adapter"), parameters);
    }

    // Multiples of 1/64 within ±0.5: exact in float16 and bfloat16, so every dtype carries the same numbers.
    private static float[] Values(Random random, int count) => [.. Enumerable.Range(0, count).Select(_ => random.Next(-32, 33) / 64f)];
}
