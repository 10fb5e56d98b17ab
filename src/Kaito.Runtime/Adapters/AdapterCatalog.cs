using System.Globalization;
using Kaito.Runtime.Generation;
using Microsoft.Extensions.Options;

namespace Kaito.Runtime.Adapters;

/// <summary>
/// The LoRA adapters under AdapterDirectory (/mnt/adapter/&lt;name&gt;/: a PEFT adapter, adapter_config.json +
/// adapter_model.safetensors, as Kaito's adapter images and tuning jobs hold, or a *.onnx_adapter file), each checked
/// against the model's LoRA inputs and loaded into GenAI under its folder name with its strength applied (see
/// <see cref="LoraCombiner"/>), plus, when there are several, one combined adapter that /chat uses, as upstream Kaito
/// combines all adapters into one weighted adapter.
/// </summary>
public sealed partial class AdapterCatalog(IOptions<RuntimeOptions> options, ILogger<AdapterCatalog> logger)
{
    public const string CombinedName = "__kaito_combined";

    private readonly Dictionary<string, double> _strengths = new(StringComparer.Ordinal);

    /// <summary>Adapter names as OpenAI requests use them, in folder order.</summary>
    public IReadOnlyList<string> Names { get; private set; } = [];

    /// <summary>The adapter /chat runs with: the combined one, the only one, or none.</summary>
    public string? ChatAdapter { get; private set; }

    /// <summary>Reads an adapter's strength: configuration first, then the env var named like the adapter, else 1.</summary>
    public static double ReadStrength(string name, IReadOnlyDictionary<string, double> configured, Func<string, string?> environment)
    {
        if (configured.TryGetValue(name, out var strength))
        {
            return strength;
        }

        var text = environment(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return 1.0;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out strength) || double.IsNaN(strength))
        {
            throw new FormatException($"Adapter strength {name}='{text}' is not a number.");
        }

        return Math.Clamp(strength, 0.0, 1.0);
    }

    public double StrengthOf(string name) => _strengths[name];

    /// <summary>
    /// Loads every adapter folder or throws <see cref="AdapterLoadException"/> naming the first one that cannot be
    /// served: the pod must not turn Ready on the base model as if the adapter were applied.
    /// </summary>
    public void Load(LoadedModel model)
    {
        var root = options.Value.AdapterDirectory;
        if (!Directory.Exists(root))
        {
            return;
        }

        var folders = Directory.GetDirectories(root).Order(StringComparer.Ordinal).ToArray();
        if (folders.Length == 0)
        {
            return;
        }

        var cache = options.Value.AdapterCacheDirectory ?? Path.Combine(Path.GetTempPath(), "kaito-adapters", Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(cache);
        var inputs = ModelLoraInputs.Read(options.Value.ModelDirectory);
        var loaded = new List<(string Name, IReadOnlyList<AdapterParameter> Parameters, double Strength)>();
        foreach (var folder in folders)
        {
            var name = Path.GetFileName(folder);
            try
            {
                var strength = ReadStrength(name, options.Value.AdapterStrengths, Environment.GetEnvironmentVariable);
                var (read, format) = ReadFolder(folder, inputs);
                if (strength != 1.0 && !read.Any(p => LoraCombiner.IsLoraB(p.Name)))
                {
                    throw new InvalidDataException($"strength {strength} cannot be applied: the adapter has no lora_B tensor to scale.");
                }

                inputs.Check(read, options.Value.MaxAdapterRank);
                var parameters = inputs.Complete(read);
                Register(model, cache, name, LoraCombiner.Scale(parameters, strength));
                _strengths[name] = strength;
                loaded.Add((name, parameters, strength));
                LogLoaded(name, format, strength, read.Count);
            }
            catch (Exception error) when (error is InvalidDataException or IOException or UnauthorizedAccessException or FormatException or System.Text.Json.JsonException or Microsoft.ML.OnnxRuntimeGenAI.OnnxRuntimeGenAIException)
            {
                throw new AdapterLoadException(name, folder, error.Message, error);
            }
        }

        Names = [.. loaded.Select(a => a.Name)];
        ChatAdapter = loaded.Count switch
        {
            0 => null,
            1 => loaded[0].Name,
            _ => CombineForChat(model, cache, loaded),
        };
    }

    private static (IReadOnlyList<AdapterParameter> Parameters, string Format) ReadFolder(string folder, ModelLoraInputs inputs)
    {
        if (PeftAdapterConverter.IsPeftFolder(folder))
        {
            return (PeftAdapterConverter.Read(folder, inputs), "PEFT");
        }

        var file = Directory.GetFiles(folder, "*.onnx_adapter").Order(StringComparer.Ordinal).FirstOrDefault()
            ?? throw new InvalidDataException($"the folder holds neither a PEFT adapter ({PeftAdapterConfig.FileName} + {PeftAdapterConverter.WeightsFileName}) nor a *.onnx_adapter file.");
        return (OnnxAdapterFile.Read(file), Path.GetFileName(file));
    }

    private string? CombineForChat(LoadedModel model, string cache, List<(string Name, IReadOnlyList<AdapterParameter> Parameters, double Strength)> loaded)
    {
        try
        {
            Register(model, cache, CombinedName, LoraCombiner.Combine([.. loaded.Select(a => (a.Parameters, a.Strength))]));
            return CombinedName;
        }
        catch (InvalidDataException error)
        {
            LogCombineFailed(error.Message, loaded[0].Name);
            return loaded[0].Name;
        }
    }

    private static void Register(LoadedModel model, string cache, string name, IReadOnlyList<AdapterParameter> parameters)
    {
        var path = Path.Combine(cache, name + ".onnx_adapter");
        OnnxAdapterFile.Write(path, parameters);
        model.Adapters.LoadAdapter(path, name);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Adapter {Name} loaded from {Format} with strength {Strength} ({Tensors} LoRA tensors)")]
    private partial void LogLoaded(string name, string format, double strength, int tensors);

    [LoggerMessage(Level = LogLevel.Error, Message = "Adapters cannot be combined ({Reason}); /chat uses {Fallback} alone")]
    private partial void LogCombineFailed(string reason, string fallback);
}
