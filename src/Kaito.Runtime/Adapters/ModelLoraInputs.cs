using System.Globalization;
using System.Text.Json;
using Kaito.Runtime.Onnx;

namespace Kaito.Runtime.Adapters;

/// <summary>
/// The model's LoRA inputs (graph inputs whose name contains "lora"), read from the decoder ONNX file named in
/// genai_config.json, and the checks an adapter must pass against them before the server serves it.
/// </summary>
public sealed class ModelLoraInputs
{
    private readonly Dictionary<string, OnnxGraphInput> _inputs;

    public ModelLoraInputs(IEnumerable<OnnxGraphInput> graphInputs) =>
        _inputs = graphInputs.Where(i => i.Name.Contains("lora", StringComparison.OrdinalIgnoreCase)).ToDictionary(i => i.Name, StringComparer.Ordinal);

    public int Count => _inputs.Count;

    public static ModelLoraInputs Read(string modelDirectory)
    {
        using var config = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(modelDirectory, "genai_config.json")));
        var file = config.RootElement.GetProperty("model").GetProperty("decoder").GetProperty("filename").GetString()
            ?? throw new InvalidDataException("genai_config.json names no decoder file.");
        return new ModelLoraInputs(OnnxGraphInputs.Read(Path.Combine(modelDirectory, file)));
    }

    public OnnxGraphInput? Find(string name) => _inputs.GetValueOrDefault(name);

    /// <summary>Throws <see cref="InvalidDataException"/> naming the first tensor the model cannot take.</summary>
    public void Check(IReadOnlyList<AdapterParameter> parameters, int maxRank)
    {
        if (_inputs.Count == 0)
        {
            throw new InvalidDataException("the model has no LoRA inputs, so no adapter can be applied to it.");
        }

        if (parameters.Count == 0)
        {
            throw new InvalidDataException("the adapter holds no tensors.");
        }

        foreach (var parameter in parameters)
        {
            var input = Find(parameter.Name) ?? throw new InvalidDataException(
                $"tensor {parameter.Name} is not a LoRA input of the model (its LoRA inputs are {Sample()}).");
            var shape = "[" + string.Join(", ", parameter.Dims) + "]";
            if (parameter.DataType != input.ElementType)
            {
                throw new InvalidDataException($"tensor {parameter.Name} has element type {parameter.DataType}, the model input has {input.ElementType}.");
            }

            if (parameter.Dims.Length != input.Dims.Length)
            {
                throw new InvalidDataException($"tensor {parameter.Name} has shape {shape}, the model expects {input.ShapeText}.");
            }

            for (var d = 0; d < input.Dims.Length; d++)
            {
                if (input.Dims[d] is { } fixedSize && fixedSize != parameter.Dims[d])
                {
                    throw new InvalidDataException($"tensor {parameter.Name} has shape {shape}, the model expects {input.ShapeText}.");
                }

                if (input.Dims[d] is null && parameter.Dims[d] > maxRank)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                        $"tensor {parameter.Name} has rank {parameter.Dims[d]} ({input.DimNames[d] ?? "symbolic dim"}), more than Runtime:MaxAdapterRank={maxRank}."));
                }
            }

            var expectedBytes = parameter.Dims.Aggregate(1L, (a, b) => a * b) * AdapterParameter.ElementSize(parameter.DataType);
            if (parameter.Data.LongLength != expectedBytes)
            {
                throw new InvalidDataException($"tensor {parameter.Name} holds {parameter.Data.LongLength} bytes, not the {expectedBytes} its shape {shape} needs.");
            }
        }
    }

    /// <summary>
    /// The adapter plus zeros for every LoRA input it leaves out. ONNX Runtime requires a symbolic dim (the rank) to
    /// have one value across all inputs of a run, so an adapter targeting q_proj and v_proj at rank 8 cannot leave
    /// k_proj at its rank-1 default; a zero A and B of the same rank add exactly nothing. Throws when the adapter's
    /// own tensors give one symbolic dim two values.
    /// </summary>
    public IReadOnlyList<AdapterParameter> Complete(IReadOnlyList<AdapterParameter> parameters)
    {
        var symbols = new Dictionary<string, (long Value, string Tensor)>(StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            var input = _inputs[parameter.Name];
            for (var d = 0; d < input.Dims.Length; d++)
            {
                if (input.Dims[d] is null && input.DimNames[d] is { } symbol)
                {
                    if (symbols.TryGetValue(symbol, out var seen) && seen.Value != parameter.Dims[d])
                    {
                        throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                            $"tensor {parameter.Name} has {symbol} {parameter.Dims[d]} but {seen.Tensor} has {seen.Value}; the model needs one value for all of them."));
                    }

                    symbols[symbol] = (parameter.Dims[d], parameter.Name);
                }
            }
        }

        var given = parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var completed = parameters.ToList();
        foreach (var input in _inputs.Values.Where(i => !given.Contains(i.Name)).OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            var dims = new long[input.Dims.Length];
            var known = AdapterParameter.ElementSize(input.ElementType) > 0;
            for (var d = 0; d < dims.Length && known; d++)
            {
                if (input.Dims[d] is { } size)
                {
                    dims[d] = size;
                }
                else if (input.DimNames[d] is { } symbol && symbols.TryGetValue(symbol, out var value))
                {
                    dims[d] = value.Value;
                }
                else
                {
                    known = false; // a dim the adapter does not pin: the input keeps its default
                }
            }

            if (known)
            {
                completed.Add(new AdapterParameter(input.Name, dims, input.ElementType, new byte[dims.Aggregate(1L, (a, b) => a * b) * AdapterParameter.ElementSize(input.ElementType)]));
            }
        }

        return completed;
    }

    private string Sample()
    {
        var names = _inputs.Keys.Order(StringComparer.Ordinal).ToArray();
        return string.Join(", ", names.Take(4)) + (names.Length > 4 ? $", ... ({names.Length} in all)" : string.Empty);
    }
}
