namespace Kaito.Runtime.Adapters;

/// <summary>
/// Turns a PEFT LoRA adapter folder (adapter_config.json + adapter_model.safetensors) into the model's LoRA inputs.
/// PEFT stores torch Linear weights, lora_A [r, in] and lora_B [out, r], and applies scale·B·A; the ONNX export
/// multiplies x·A·B with A [in, r] and B [r, out]. So each tensor is transposed, B is multiplied by the scale
/// (alpha / r, or alpha / sqrt(r) with rsLoRA), names follow <see cref="PeftTensorNames"/>, and values take the
/// element type of the model input (float32 or float16).
/// </summary>
public static class PeftAdapterConverter
{
    public const string WeightsFileName = "adapter_model.safetensors";

    public static bool IsPeftFolder(string folder) => File.Exists(Path.Combine(folder, PeftAdapterConfig.FileName));

    public static IReadOnlyList<AdapterParameter> Read(string folder, ModelLoraInputs inputs)
    {
        var config = PeftAdapterConfig.Read(Path.Combine(folder, PeftAdapterConfig.FileName));
        var weights = Path.Combine(folder, WeightsFileName);
        if (!File.Exists(weights))
        {
            throw new InvalidDataException(File.Exists(Path.Combine(folder, "adapter_model.bin"))
                ? $"only adapter_model.bin (pickle) is there; save the adapter as {WeightsFileName} (safe_serialization=True)."
                : $"{PeftAdapterConfig.FileName} is there but {WeightsFileName} is missing.");
        }

        return Convert(config, SafetensorsFile.Read(weights), inputs);
    }

    public static IReadOnlyList<AdapterParameter> Convert(PeftAdapterConfig config, IReadOnlyList<SafetensorsTensor> tensors, ModelLoraInputs inputs)
    {
        if (inputs.Count == 0)
        {
            throw new InvalidDataException("the model has no LoRA inputs, so no adapter can be applied to it.");
        }

        var parameters = new List<AdapterParameter>();
        foreach (var tensor in tensors)
        {
            var (name, matrix) = PeftTensorNames.ToModelInput(tensor.Name)
                ?? throw new InvalidDataException($"tensor {tensor.Name} is not a LoRA A/B weight of a decoder layer (<...>.layers.<i>.<self_attn|mlp>.<proj>.lora_A|lora_B.weight).");
            var input = inputs.Find(name)
                ?? throw new InvalidDataException($"tensor {tensor.Name} maps to {name}, which is not a LoRA input of the model.");
            if (tensor.Shape.Length != 2)
            {
                throw new InvalidDataException($"tensor {tensor.Name} has shape [{string.Join(", ", tensor.Shape)}]; LoRA weights are 2-D.");
            }

            var rankAxis = matrix == 'A' ? 0 : 1;
            if (tensor.Shape[rankAxis] != config.Rank)
            {
                throw new InvalidDataException($"tensor {tensor.Name} has shape [{string.Join(", ", tensor.Shape)}], rank {tensor.Shape[rankAxis]}, but {PeftAdapterConfig.FileName} says r={config.Rank}.");
            }

            var scale = matrix == 'B' ? (float)config.Scale : 1f;
            parameters.Add(AdapterParameter.FromFloats(name, [tensor.Shape[1], tensor.Shape[0]], input.ElementType, Transposed(tensor, scale)));
        }

        var unpaired = parameters.Select(p => p.Name).GroupBy(n => n.Replace(".lora_A.", ".lora_B.", StringComparison.Ordinal)).FirstOrDefault(g => g.Count() != 2);
        if (unpaired is not null)
        {
            throw new InvalidDataException($"{unpaired.First()} has no matching lora_A/lora_B partner.");
        }

        return parameters;
    }

    private static float[] Transposed(SafetensorsTensor tensor, float scale)
    {
        var (rows, columns) = ((int)tensor.Shape[0], (int)tensor.Shape[1]);
        var values = new float[tensor.Values.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                values[(c * rows) + r] = tensor.Values[(r * columns) + c] * scale;
            }
        }

        return values;
    }
}
