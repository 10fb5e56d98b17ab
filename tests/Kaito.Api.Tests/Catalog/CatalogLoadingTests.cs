using Kaito.Api.Catalog;

namespace Kaito.Api.Tests.Catalog;

public sealed class CatalogLoadingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kaito-catalog-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Shipped_catalog_has_every_required_preset_and_sku()
    {
        var catalog = KaitoCatalog.LoadEmbedded();

        string[] presets =
        [
            "falcon-7b", "falcon-7b-instruct", "falcon-40b", "falcon-40b-instruct", "mistral-7b", "mistral-7b-instruct", "phi-2",
            "phi-3-mini-4k-instruct", "phi-3-mini-128k-instruct", "phi-3-medium-4k-instruct", "phi-3-medium-128k-instruct",
            "llama-2-7b", "llama-2-7b-chat", "llama-2-13b", "llama-2-13b-chat", "llama-2-70b", "llama-2-70b-chat",
            "phi-3.5-mini-instruct", "phi-4", "phi-4-mini-instruct", "llama-3.1-8b-instruct", "qwen2.5-coder-7b-instruct",
        ];
        Assert.All(presets, p => Assert.True(catalog.Presets.TryGet(p, out _), p));
        Assert.All(["Standard_NC6s_v3", "Standard_ND96isr_H200_v5", "Standard_NV6ads_A10_v5", "Standard_ND40rs_v2", "p4d.24xlarge", "p4de.24xlarge", "p5.48xlarge", "g5.xlarge", "g6.48xlarge"],
            s => Assert.True(catalog.Skus.TryGet(s, out _), s));
        Assert.All(catalog.Skus.All, s => Assert.Null(s.PricePerHour));
    }

    [Fact]
    public void Shipped_catalog_figures_match_upstream()
    {
        var catalog = KaitoCatalog.LoadEmbedded();

        Assert.True(catalog.Presets.TryGet("llama-2-70b-chat", out var llama));
        Assert.Equal((8, "192Gi", "19Gi", "158Gi", true, "private"), (llama.GpuCount, llama.TotalGpuMemory.ToString(), llama.PerGpuMemory?.ToString(), llama.DiskStorage.ToString(), llama.Distributed, llama.AccessMode));
        Assert.True(catalog.Presets.TryGet("phi-3-mini-4k-instruct", out var phi));
        Assert.Equal("mcr.microsoft.com/aks/kaito/kaito-phi-3-mini-4k-instruct:0.0.2", phi.ImageReference(catalog.Presets.Registry));
        Assert.Equal("72Gi", phi.Tuning.TotalGpuMemory?.ToString());
        Assert.True(catalog.Skus.TryGet("Standard_NC24s_v3", out var v100));
        Assert.Equal((4, "16Gi", "NVIDIA V100"), (v100.GpuCount, v100.GpuMemory.ToString(), v100.GpuModel));
    }

    [Fact]
    public void Every_problem_is_reported_with_file_entry_and_reason()
    {
        WriteCatalog("""
            presets:
              - {name: good, family: f, gpuCount: 1, totalGpuMemory: 8Gi, diskStorage: 50Gi, contextLength: 4096, tag: "1", readinessTimeout: 10m}
              - {name: good, family: f, gpuCount: 1, totalGpuMemory: 8Gi, diskStorage: 50Gi, contextLength: 4096, tag: "1", readinessTimeout: 10m}
              - {name: typo, family: f, gpuCount: 1, totalGpuMemory: 8Gi, diskStorage: 50Gi, contextLength: 4096, tag: "1", readinessTimeout: 10m, gpuCuont: 2}
              - {name: badqty, family: f, gpuCount: 1, totalGpuMemory: 8 gigs, diskStorage: 50Gi, contextLength: 4096, tag: "1", readinessTimeout: soon}
              - {family: f, gpuCount: 0, totalGpuMemory: 8Gi, diskStorage: 50Gi, contextLength: 4096, tag: "1", readinessTimeout: 10m}
            """, """
            skus:
              - {name: a, cloud: azure, gpuCount: 1, gpuMemory: 16Gi, gpuModel: T4}
              - {name: b, cloud: azure, gpuCount: one, gpuMemory: 16Gi, gpuModel: T4}
            """);

        var ex = Assert.Throws<CatalogLoadException>(() => KaitoCatalog.LoadFromDirectory(_dir));

        var lines = ex.Errors.Select(e => e.ToString()).ToList();
        var models = Path.Combine(_dir, "models.yaml");
        var skus = Path.Combine(_dir, "skus.yaml");
        Assert.Contains($"{models}: entry 2 \"good\": duplicate preset name \"good\"", lines);
        Assert.Contains($"{models}: entry 3 \"typo\": gpuCuont: unknown field \"gpuCuont\"", lines);
        Assert.Contains($"{models}: entry 4 \"badqty\": totalGpuMemory: \"8 gigs\" is not a Kubernetes quantity (e.g. 16Gi, 500Mi)", lines);
        Assert.Contains($"{models}: entry 4 \"badqty\": readinessTimeout: \"soon\" is not a positive duration (e.g. 30m, 1h30m, 90s)", lines);
        Assert.Contains($"{models}: entry 5: name: required", lines);
        Assert.Contains($"{models}: entry 5: gpuCount: must be at least 1, got 0", lines);
        Assert.Contains($"{skus}: entry 2 \"b\": gpuCount: expected an integer, got a string", lines);
        Assert.Equal(7, lines.Count);
    }

    [Fact]
    public void Operator_prices_are_loaded_from_a_catalog_folder()
    {
        WriteCatalog(
            "presets:\n  - {name: p, family: f, gpuCount: 1, totalGpuMemory: 8Gi, diskStorage: 50Gi, contextLength: 4096, tag: \"1\", readinessTimeout: 10m}\n",
            "skus:\n  - {name: a, cloud: azure, gpuCount: 1, gpuMemory: 16Gi, gpuModel: T4, pricePerHour: 0.526}\n");

        var catalog = KaitoCatalog.LoadFromDirectory(_dir);

        Assert.True(catalog.Skus.TryGet("a", out var sku));
        Assert.Equal(0.526m, sku.PricePerHour);
    }

    [Fact]
    public void Broken_yaml_and_missing_files_name_the_file()
    {
        WriteCatalog("presets: [ {name: x", "skus: []\n");

        var ex = Assert.Throws<CatalogLoadException>(() => KaitoCatalog.LoadFromDirectory(_dir));
        Assert.All(ex.Errors, e => Assert.EndsWith("models.yaml", e.File, StringComparison.Ordinal));

        File.Delete(Path.Combine(_dir, "skus.yaml"));
        var missing = Assert.Throws<CatalogLoadException>(() => KaitoCatalog.LoadFromDirectory(_dir));
        Assert.Equal("file not found", Assert.Single(missing.Errors).Reason);
    }

    private void WriteCatalog(string models, string skus)
    {
        File.WriteAllText(Path.Combine(_dir, "models.yaml"), models);
        File.WriteAllText(Path.Combine(_dir, "skus.yaml"), skus);
    }
}
