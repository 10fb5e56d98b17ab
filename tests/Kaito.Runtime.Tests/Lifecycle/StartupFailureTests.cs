using System.Text.Json.Nodes;
using Kaito.Runtime.Lifecycle;
using Kaito.Runtime.Tests.Adapters;
using Kaito.Runtime.Tests.Support;

namespace Kaito.Runtime.Tests.Lifecycle;

/// <summary>
/// A model or adapter that cannot be loaded must never leave the pod Ready on the base model: the real server process
/// exits non-zero and writes the reason, naming the adapter, to the termination-message file Kubernetes reads.
/// </summary>
public sealed class StartupFailureTests
{
    public static TheoryData<string, string> BadAdapters => new()
    {
        { "garbage-safetensors", "not a safetensors file" },
        { "unknown-tensor", "z_proj.lora_A.MatMul.weight, which is not a LoRA input of the model" },
        { "shape-mismatch", "the model expects [16, lora_rank]" },
        { "rank-too-large", "more than Runtime:MaxAdapterRank=4" },
        { "rank-differs-from-config", "but adapter_config.json says r=2" },
        { "dora", "use_dora" },
        { "unsupported-dtype", "dtype I8" },
        { "empty-folder", "holds neither a PEFT adapter" },
        { "onnx-adapter-unknown-name", "tensor lora_A is not a LoRA input of the model" },
    };

    [Theory]
    [MemberData(nameof(BadAdapters))]
    public async Task A_bad_adapter_fails_start_up_with_its_name_and_the_problem(string adapterCase, string problem)
    {
        var adapters = TestModelFiles.NewScratchDirectory();
        var folder = Path.Combine(adapters, "bad");
        WriteBadAdapter(adapterCase, folder);
        // A good adapter beside it must not hide the bad one.
        PeftAdapterWriter.Write(Path.Combine(adapters, "good"), 2, 2, PeftAdapterSamples.Tensors(2, seed: 1, projections: ["q_proj"]));

        var message = await AssertStartUpFails(TestModelFiles.LoraModelDirectory, adapters, ("MaxAdapterRank", "4"));
        Assert.StartsWith($"Adapter bad ({folder}) cannot be loaded: ", message, StringComparison.Ordinal);
        Assert.Contains(problem, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_adapter_for_a_model_without_lora_inputs_fails_start_up()
    {
        var adapters = TestModelFiles.NewScratchDirectory();
        PeftAdapterWriter.Write(Path.Combine(adapters, "tuned"), 2, 2, PeftAdapterSamples.Tensors(2, seed: 1, projections: ["q_proj"]));
        var message = await AssertStartUpFails(TestModelFiles.NoLoraModelDirectory, adapters);
        Assert.Contains("Adapter tuned (", message, StringComparison.Ordinal);
        Assert.Contains("the model has no LoRA inputs", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_folder_that_cannot_be_loaded_fails_start_up()
    {
        var model = TestModelFiles.NewScratchDirectory();
        Directory.CreateDirectory(model);
        File.WriteAllText(Path.Combine(model, "genai_config.json"), "{\"model\":");
        var message = await AssertStartUpFails(model, TestModelFiles.NewScratchDirectory());
        Assert.StartsWith($"Model tiny ({model}) cannot be loaded: ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_configuration_fails_start_up_naming_the_setting()
    {
        var message = await AssertStartUpFails(TestModelFiles.ModelDirectory, TestModelFiles.NewScratchDirectory(), ("DrainTimeout", "00:00:40"));
        Assert.Contains("Runtime:DrainTimeout (40 s) plus 5 s to stop must fit within Runtime:TerminationGracePeriod (30 s", message, StringComparison.Ordinal);
    }

    private static async Task<string> AssertStartUpFails(string model, string adapters, params (string Key, string Value)[] more)
    {
        var terminationLog = Path.Combine(TestModelFiles.NewScratchDirectory(), "termination-log");
        Directory.CreateDirectory(Path.GetDirectoryName(terminationLog)!);
        var settings = new Dictionary<string, string>
        {
            ["ModelDirectory"] = model,
            ["ModelName"] = "tiny",
            ["AdapterDirectory"] = adapters,
            ["TerminationMessagePath"] = terminationLog,
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        var (exitCode, output) = await RuntimeProcess.RunToExitAsync(settings);
        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{output}");
        Assert.True(File.Exists(terminationLog), $"no termination message:\n{output}");
        var message = await File.ReadAllTextAsync(terminationLog);
        Assert.InRange(message.Length, 1, TerminationMessage.MaxBytes);
        Assert.Contains(message.Split(':')[0], output, StringComparison.Ordinal); // the log says it too
        return message;
    }

    private static void WriteBadAdapter(string adapterCase, string folder)
    {
        var good = PeftAdapterSamples.Tensors(2, seed: 2, projections: ["q_proj"]);
        switch (adapterCase)
        {
            case "garbage-safetensors":
                PeftAdapterWriter.Write(folder, 2, 2, good);
                File.WriteAllBytes(Path.Combine(folder, "adapter_model.safetensors"), [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 1, 2, 3]);
                break;
            case "unknown-tensor":
                PeftAdapterWriter.Write(folder, 2, 2, good.Select(t => t with { Name = t.Name.Replace("q_proj", "z_proj", StringComparison.Ordinal) }));
                break;
            case "shape-mismatch":
                PeftAdapterWriter.Write(folder, 2, 2, good.Select(t => t.Name.Contains("lora_A", StringComparison.Ordinal) ? t with { Shape = [2, 15], Values = t.Values[..30] } : t));
                break;
            case "rank-too-large":
                PeftAdapterWriter.Write(folder, 8, 8, PeftAdapterSamples.Tensors(8, seed: 2, projections: ["q_proj"]));
                break;
            case "rank-differs-from-config":
                PeftAdapterWriter.Write(folder, 2, 2, PeftAdapterSamples.Tensors(3, seed: 2, projections: ["q_proj"]));
                break;
            case "dora":
                PeftAdapterWriter.Write(folder, 2, 2, good, editConfig: c => c["use_dora"] = true);
                break;
            case "unsupported-dtype":
                File.WriteAllBytes(Path.Combine(PeftAdapterWriter.Write(folder, 2, 2, good), "adapter_model.safetensors"), Int8Safetensors(good[0].Name));
                break;
            case "empty-folder":
                Directory.CreateDirectory(folder);
                File.WriteAllText(Path.Combine(folder, "README.md"), "no weights here");
                break;
            case "onnx-adapter-unknown-name":
                PeftAdapterSamples.WriteOnnxAdapter(folder, TestModelFiles.ForceByte('X', 30)); // lora_A/lora_B: the logits LoRA this model lacks
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(adapterCase), adapterCase, null);
        }
    }

    private static byte[] Int8Safetensors(string name)
    {
        var header = new JsonObject { [name] = new JsonObject { ["dtype"] = "I8", ["shape"] = new JsonArray(2), ["data_offsets"] = new JsonArray(0, 2) } };
        var json = System.Text.Encoding.UTF8.GetBytes(header.ToJsonString());
        return [.. BitConverter.GetBytes((ulong)json.Length), .. json, 1, 2];
    }
}
