using System.Runtime.InteropServices;

namespace Kaito.Runtime.Adapters;

/// <summary>
/// Strength maths for LoRA adapters. An adapter adds ΔW = A·B to a weight (A: [.., in, r] named *lora_A*,
/// B: [r, out] named *lora_B*, ONNX MatMul layout). Scaling B by s gives s·ΔW exactly, so strength 0 adds nothing
/// and strength 1 is the adapter as trained. Several adapters are merged like PEFT's "cat" weighted adapter:
/// A = [A1 | A2 | ..] along the rank axis and B = [s1·B1 ; s2·B2 ; ..], so A·B = s1·A1·B1 + s2·A2·B2 + ..
/// with no approximation (the rank dimension of the model's LoRA inputs is symbolic).
/// </summary>
public static class LoraCombiner
{
    public static bool IsLoraA(string name) => name.Contains("lora_a", StringComparison.OrdinalIgnoreCase);

    public static bool IsLoraB(string name) => name.Contains("lora_b", StringComparison.OrdinalIgnoreCase);

    /// <summary>The adapter with every lora_B tensor multiplied by <paramref name="strength"/>.</summary>
    public static IReadOnlyList<AdapterParameter> Scale(IReadOnlyList<AdapterParameter> adapter, double strength) =>
        [.. adapter.Select(p => IsLoraB(p.Name) ? p with { Data = Scaled(p, strength) } : p)];

    /// <summary>One adapter equal to the strength-weighted sum of the given adapters' deltas.</summary>
    public static IReadOnlyList<AdapterParameter> Combine(IReadOnlyList<(IReadOnlyList<AdapterParameter> Parameters, double Strength)> adapters)
    {
        if (adapters.Count == 1)
        {
            return Scale(adapters[0].Parameters, adapters[0].Strength);
        }

        var first = adapters[0].Parameters;
        var names = first.Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        foreach (var (parameters, _) in adapters)
        {
            if (!parameters.Select(p => p.Name).Order(StringComparer.Ordinal).SequenceEqual(names))
            {
                throw new InvalidDataException("Adapters can only be combined when they have the same LoRA tensors.");
            }
        }

        var combined = new List<AdapterParameter>();
        foreach (var template in first)
        {
            var parts = adapters.Select(a => (Parameter: a.Parameters.Single(p => p.Name == template.Name), a.Strength)).ToArray();
            if (parts.Any(p => p.Parameter.DataType != template.DataType))
            {
                throw new InvalidDataException($"Adapter tensor {template.Name} has different element types.");
            }

            combined.Add(
                IsLoraB(template.Name) ? ConcatFirstAxis(template, parts.Select(p => p.Parameter with { Data = Scaled(p.Parameter, p.Strength) }).ToArray())
                : IsLoraA(template.Name) ? ConcatLastAxis(template, parts.Select(p => p.Parameter).ToArray())
                : Identical(template, parts.Select(p => p.Parameter).ToArray()));
        }

        return combined;
    }

    private static byte[] Scaled(AdapterParameter parameter, double strength)
    {
        var data = (byte[])parameter.Data.Clone();
        switch (parameter.DataType)
        {
            case AdapterParameter.Float32:
                foreach (ref var value in MemoryMarshal.Cast<byte, float>(data.AsSpan()))
                {
                    value = (float)(value * strength);
                }

                break;
            case AdapterParameter.Float16:
                foreach (ref var value in MemoryMarshal.Cast<byte, Half>(data.AsSpan()))
                {
                    value = (Half)((double)value * strength);
                }

                break;
            default:
                throw new InvalidDataException($"Adapter tensor {parameter.Name} has element type {parameter.DataType}; only float32 and float16 can be scaled.");
        }

        return data;
    }

    private static AdapterParameter ConcatFirstAxis(AdapterParameter template, AdapterParameter[] parts)
    {
        var dims = (long[])template.Dims.Clone();
        dims[0] = parts.Sum(p => p.Dims[0]);
        return template with { Dims = dims, Data = [.. parts.SelectMany(p => p.Data)] };
    }

    private static AdapterParameter ConcatLastAxis(AdapterParameter template, AdapterParameter[] parts)
    {
        var last = template.Dims.Length - 1;
        var elementSize = template.DataType == AdapterParameter.Float16 ? 2 : 4;
        var rows = template.Dims[..last].Aggregate(1L, (a, b) => a * b);
        var dims = (long[])template.Dims.Clone();
        dims[last] = parts.Sum(p => p.Dims[last]);
        var data = new byte[parts.Sum(p => p.Data.Length)];
        var at = 0;
        for (var row = 0; row < rows; row++)
        {
            foreach (var part in parts)
            {
                var width = (int)part.Dims[last] * elementSize;
                Buffer.BlockCopy(part.Data, row * width, data, at, width);
                at += width;
            }
        }

        return template with { Dims = dims, Data = data };
    }

    private static AdapterParameter Identical(AdapterParameter template, AdapterParameter[] parts) =>
        parts.All(p => p.Data.AsSpan().SequenceEqual(template.Data) && p.Dims.SequenceEqual(template.Dims))
            ? template
            : throw new InvalidDataException($"Adapter tensor {template.Name} is not a LoRA A/B tensor and differs between adapters.");
}
