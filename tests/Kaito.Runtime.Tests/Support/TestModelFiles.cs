using Kaito.Runtime.Adapters;
using Kaito.Runtime.TestModel;

namespace Kaito.Runtime.Tests.Support;

/// <summary>The tiny model and its adapters, written once per test run under the temp folder (no downloads).</summary>
public static class TestModelFiles
{
    /// <summary>Greedy continuation of "abc": each byte is followed by the next one until '~', then EOS.</summary>
    public const string AbcContinuation = "defghijklmnopqrstuvwxyz{|}~";

    /// <summary>Targets of <see cref="LoraModel"/>: every projection of both layers gets LoRA inputs.</summary>
    public static readonly TinyModelOptions LoraModel = new(Layers: 2, SuccessorBump: 0, LogitsLora: false, LoraTargets: ["q_proj", "k_proj", "v_proj", "o_proj", "up_proj", "down_proj"]);

    private static readonly Lazy<string> Root = new(Write);
    private static readonly Lazy<string> LoraModelPath = new(() => TinyModelBuilder.Write(Path.Combine(Root.Value, "lora-model"), LoraModel));
    private static readonly Lazy<string> NoLoraModelPath = new(() => TinyModelBuilder.Write(Path.Combine(Root.Value, "no-lora-model"), new TinyModelOptions(LogitsLora: false)));

    public static string ModelDirectory => Path.Combine(Root.Value, "model");

    /// <summary>A folder holding force-x (+30 on 'X' after any token) and force-q (+40 on 'Q').</summary>
    public static string AdapterDirectory => Path.Combine(Root.Value, "adapters");

    /// <summary>A folder holding only force-x.</summary>
    public static string SingleAdapterDirectory => Path.Combine(Root.Value, "single-adapter");

    /// <summary>
    /// A random-weight model (no successor bump, so any change to a weight shows in greedy text) with LoRA inputs per
    /// layer and projection, named as the official model builder names them.
    /// </summary>
    public static string LoraModelDirectory => LoraModelPath.Value;

    /// <summary>The tiny model without any LoRA input.</summary>
    public static string NoLoraModelDirectory => NoLoraModelPath.Value;

    /// <summary>A fresh folder under the run's root (removed with it when the test process exits).</summary>
    public static string NewScratchDirectory() => Path.Combine(Root.Value, "scratch", Guid.NewGuid().ToString("N"));

    /// <summary>A copy of the tiny model whose tokenizer_config.json <paramref name="edit"/> changes.</summary>
    public static string ModelVariant(Action<System.Text.Json.Nodes.JsonObject> edit)
    {
        var directory = NewScratchDirectory();
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.GetFiles(ModelDirectory))
        {
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        }

        var configPath = Path.Combine(directory, "tokenizer_config.json");
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        edit(config);
        File.WriteAllText(configPath, config.ToJsonString());
        return directory;
    }

    /// <summary>An adapter that adds <paramref name="bump"/> to one byte's logit whatever the input: A = ones, B = bump at the byte.</summary>
    public static IReadOnlyList<AdapterParameter> ForceByte(char target, float bump)
    {
        var a = Enumerable.Repeat(1f, TinyModelOptions.VocabSize).ToArray();
        var b = new float[TinyModelOptions.VocabSize];
        b[target] = bump;
        return
        [
            new AdapterParameter("lora_A", [TinyModelOptions.VocabSize, 1], AdapterParameter.Float32, ToBytes(a)),
            new AdapterParameter("lora_B", [1, TinyModelOptions.VocabSize], AdapterParameter.Float32, ToBytes(b)),
        ];
    }

    public static float[] ToFloats(byte[] data)
    {
        var values = new float[data.Length / sizeof(float)];
        Buffer.BlockCopy(data, 0, values, 0, data.Length);
        return values;
    }

    private static byte[] ToBytes(float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    private static string Write()
    {
        var root = Path.Combine(Path.GetTempPath(), "kaito-runtime-tests", Guid.NewGuid().ToString("N"));
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: the temp folder is cleaned by the OS otherwise.
            }
        };
        TinyModelBuilder.Write(Path.Combine(root, "model"));
        WriteAdapter(Path.Combine(root, "adapters", "force-x"), ForceByte('X', 30));
        WriteAdapter(Path.Combine(root, "adapters", "force-q"), ForceByte('Q', 40));
        WriteAdapter(Path.Combine(root, "single-adapter", "force-x"), ForceByte('X', 30));
        return root;
    }

    private static void WriteAdapter(string folder, IReadOnlyList<AdapterParameter> parameters)
    {
        Directory.CreateDirectory(folder);
        OnnxAdapterFile.Write(Path.Combine(folder, "adapter.onnx_adapter"), parameters);
    }
}
