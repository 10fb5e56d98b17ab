using System.Net.Http.Json;
using System.Text.Json;
using Kaito.Runtime.Tests.Support;

namespace Kaito.Runtime.Tests.Adapters;

/// <summary>
/// PEFT adapters (adapter_config.json + adapter_model.safetensors, as Kaito's adapter images hold) on a random-weight
/// model with LoRA inputs per layer and projection: greedy text must equal what the hand-converted .onnx_adapter gives.
/// </summary>
public sealed class PeftAdapterServingTests
{
    private const int Tokens = 40;

    [Theory]
    [InlineData("F32")]
    [InlineData("F16")]
    [InlineData("BF16")]
    public async Task A_peft_adapter_changes_greedy_output_exactly_as_the_equivalent_onnx_adapter(string dataType)
    {
        var tensors = PeftAdapterSamples.Tensors(rank: 4, seed: 7, dataType);
        var adapters = TestModelFiles.NewScratchDirectory();
        PeftAdapterWriter.Write(Path.Combine(adapters, "peft"), rank: 4, alpha: 8, tensors);
        PeftAdapterSamples.WriteOnnxAdapter(Path.Combine(adapters, "onnx"), PeftAdapterSamples.OnnxEquivalent(tensors, scale: 2f));

        await using var server = await Start(adapters);
        var peft = await Complete(server, "peft");
        Assert.True(peft.Length >= 8, $"'{peft}' is too short to tell adapters apart");
        Assert.Equal(await Complete(server, "onnx"), peft);
        Assert.NotEqual(await Complete(server, "tiny"), peft);
    }

    [Fact]
    public async Task Alpha_over_r_and_the_strength_scale_the_update_as_peft_does()
    {
        // alpha 16 / r 4 = 4, strength 0.5: the update is 2·B·A, the same as an .onnx_adapter holding 2·B^T at strength 1.
        var tensors = PeftAdapterSamples.Tensors(rank: 4, seed: 11);
        var adapters = TestModelFiles.NewScratchDirectory();
        PeftAdapterWriter.Write(Path.Combine(adapters, "peft"), rank: 4, alpha: 16, tensors);
        PeftAdapterSamples.WriteOnnxAdapter(Path.Combine(adapters, "twice"), PeftAdapterSamples.OnnxEquivalent(tensors, scale: 2f));
        PeftAdapterSamples.WriteOnnxAdapter(Path.Combine(adapters, "four-times"), PeftAdapterSamples.OnnxEquivalent(tensors, scale: 4f));
        PeftAdapterSamples.WriteOnnxAdapter(Path.Combine(adapters, "once"), PeftAdapterSamples.OnnxEquivalent(tensors, scale: 1f));

        await using var server = await Start(adapters, ("peft", "0.5"));
        var peft = await Complete(server, "peft");
        Assert.True(peft.Length >= 8, $"'{peft}' is too short to tell adapters apart");
        Assert.Equal(await Complete(server, "twice"), peft);
        Assert.NotEqual(await Complete(server, "four-times"), peft); // strength ignored
        Assert.NotEqual(await Complete(server, "once"), peft); // alpha / r ignored
    }

    [Fact]
    public async Task A_peft_adapter_on_some_projections_only_leaves_the_others_at_their_zero_default()
    {
        var tensors = PeftAdapterSamples.Tensors(rank: 2, seed: 3, projections: ["q_proj", "v_proj"]);
        var adapters = TestModelFiles.NewScratchDirectory();
        PeftAdapterWriter.Write(Path.Combine(adapters, "peft"), rank: 2, alpha: 2, tensors);
        PeftAdapterSamples.WriteOnnxAdapter(Path.Combine(adapters, "onnx"), PeftAdapterSamples.OnnxEquivalent(tensors, scale: 1f));

        await using var server = await Start(adapters);
        var peft = await Complete(server, "peft");
        Assert.Equal(await Complete(server, "onnx"), peft);
        Assert.NotEqual(await Complete(server, "tiny"), peft);
    }

    private static Task<RuntimeServer> Start(string adapters, params (string Name, string Strength)[] strengths)
    {
        var settings = new Dictionary<string, string?> { ["Runtime:AdapterDirectory"] = adapters };
        foreach (var (name, strength) in strengths)
        {
            settings[$"Runtime:AdapterStrengths:{name}"] = strength;
        }

        return RuntimeServer.StartAsync(settings, modelDirectory: TestModelFiles.LoraModelDirectory);
    }

    private static async Task<string> Complete(RuntimeServer server, string model)
    {
        using var response = await server.Client.PostAsJsonAsync("/v1/completions", new { model, prompt = "The adapter", max_tokens = Tokens, temperature = 0 });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("choices")[0].GetProperty("text").GetString()!;
    }
}
