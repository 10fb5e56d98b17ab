using Kaito.Api.Catalog;

namespace Kaito.Api.Tests.Catalog;

public sealed class PresetWeightsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kaito-weights-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Every_shipped_preset_names_its_weights_source_and_its_parameter_count()
    {
        var catalog = KaitoCatalog.LoadEmbedded();

        Assert.All(catalog.Presets.All, p =>
        {
            Assert.True(p.Parameters > 0, $"{p.Name}: no parameter count");
            Assert.NotNull(p.Weights);
            Assert.True(p.Weights.IsPublished
                ? p.Weights is { HuggingFace: not null, Cuda: not null, Cpu: not null, Build: null }
                : p.Weights is { HuggingFace: null, Build: not null }, $"{p.Name}: {p.Weights}");
        });
    }

    [Fact]
    public void Every_shipped_estimate_holds_at_least_the_fp16_weights()
    {
        var catalog = KaitoCatalog.LoadEmbedded();

        Assert.All(catalog.Presets.All, p => Assert.True(p.TotalGpuMemoryBytes >= p.Parameters * 2m,
            $"{p.Name}: {p.TotalGpuMemory} < {p.Parameters} parameters x 2 bytes"));
    }

    [Fact]
    public void A_model_of_the_same_size_is_never_estimated_below_its_sibling()
    {
        var presets = KaitoCatalog.LoadEmbedded().Presets;

        Assert.True(presets.TryGet("phi-3.5-mini-instruct", out var phi35));
        Assert.True(presets.TryGet("phi-3-mini-128k-instruct", out var phi3));
        Assert.True(phi35.TotalGpuMemoryBytes >= phi3.TotalGpuMemoryBytes, $"{phi35.TotalGpuMemory} < {phi3.TotalGpuMemory}");
        Assert.True(presets.TryGet("phi-4", out var phi4));
        Assert.True(presets.TryGet("phi-3-medium-4k-instruct", out var medium));
        Assert.True(phi4.TotalGpuMemoryBytes >= medium.TotalGpuMemoryBytes, $"{phi4.TotalGpuMemory} < {medium.TotalGpuMemory}");
    }

    [Fact]
    public void Phi_3_mini_comes_from_the_published_onnx_export_for_cuda_and_cpu()
    {
        Assert.True(KaitoCatalog.LoadEmbedded().Presets.TryGet("phi-3-mini-4k-instruct", out var phi));

        Assert.Equal(new ModelWeights("microsoft/Phi-3-mini-4k-instruct-onnx", "cuda/cuda-int4-rtn-block-32",
            "cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4", null), phi.Weights);
        Assert.Equal(3_820_000_000, phi.Parameters);
    }

    [Fact]
    public void A_preset_without_an_export_gets_the_model_builder_command()
    {
        var weights = new ModelWeights(null, null, null, "tiiuae/falcon-7b");

        Assert.Equal("python -m onnxruntime_genai.models.builder -m tiiuae/falcon-7b -o weights -p int4 -e cuda", weights.Command("cuda"));
        Assert.Equal("model builder: tiiuae/falcon-7b", weights.Source);
    }

    [Fact]
    public void Bad_weights_and_an_estimate_below_the_fp16_weights_are_reported_with_the_entry()
    {
        const string Base = "family: f, gpuCount: 1, diskStorage: 50Gi, contextLength: 4096, tag: \"1\", readinessTimeout: 10m";
        File.WriteAllText(Path.Combine(_dir, "models.yaml"), $$$"""
            presets:
              - {name: small, {{{Base}}}, totalGpuMemory: 27Gi, parameters: 14.7B}
              - {name: both, {{{Base}}}, totalGpuMemory: 8Gi, weights: {huggingFace: a/b, cuda: c, cpu: d, build: a/b}}
              - {name: half, {{{Base}}}, totalGpuMemory: 8Gi, weights: {huggingFace: a/b, cuda: c}}
              - {name: repo, {{{Base}}}, totalGpuMemory: 8Gi, weights: {build: falcon}}
              - {name: count, {{{Base}}}, totalGpuMemory: 8Gi, parameters: lots}
              - {name: fine, {{{Base}}}, totalGpuMemory: 8Gi, parameters: 3.8B, weights: {build: a/b}}
            """);
        File.WriteAllText(Path.Combine(_dir, "skus.yaml"), "skus:\n  - {name: a, cloud: azure, gpuCount: 1, gpuMemory: 16Gi, gpuModel: T4}\n");

        var ex = Assert.Throws<CatalogLoadException>(() => KaitoCatalog.LoadFromDirectory(_dir));

        var models = Path.Combine(_dir, "models.yaml");
        Assert.Equal(
        [
            $"{models}: entry 1 \"small\": totalGpuMemory: 27Gi is below the fp16 weights of 14.7B parameters (27.38Gi)",
            $"{models}: entry 2 \"both\": weights: give either huggingFace, cuda and cpu (a published ONNX export) or build (the model the model builder converts)",
            $"{models}: entry 3 \"half\": weights: a published ONNX export needs huggingFace, cuda and cpu",
            $"{models}: entry 4 \"repo\": weights: \"falcon\" is not a Hugging Face repository (owner/name)",
            $"{models}: entry 5 \"count\": parameters: \"lots\" is not a parameter count (e.g. 3.82B, 560M)",
        ], ex.Errors.Select(e => e.ToString()));
    }
}
