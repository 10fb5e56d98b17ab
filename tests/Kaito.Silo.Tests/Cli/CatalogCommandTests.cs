using System.Text.Json;

namespace Kaito.Silo.Tests.Cli;

public sealed class CatalogCommandTests
{
    [Fact]
    public void Presets_table_lists_every_preset_with_its_sizing()
    {
        var run = CliRun.Of("presets");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("NAME", run.Lines[0], StringComparison.Ordinal);
        var llama = Assert.Single(run.Lines, l => l.StartsWith("llama-2-70b ", StringComparison.Ordinal));
        Assert.Equal(["llama-2-70b", "8", "152Gi", "19Gi", "158Gi", "4096", "StatefulSet", "private", "no", "mcr.microsoft.com/aks/kaito/kaito-llama-2-70b:0.0.3"],
            llama.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Presets_wide_adds_the_parameter_count_and_where_the_weights_come_from()
    {
        var run = CliRun.Of("presets", "-o", "wide");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["IMAGE", "PARAMS", "WEIGHTS"], run.Lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)[^3..]);
        var phi = Assert.Single(run.Lines, l => l.StartsWith("phi-3-mini-4k-instruct ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["3.82B", "microsoft/Phi-3-mini-4k-instruct-onnx:cuda/cuda-int4-rtn-block-32"], phi[^2..]);
        var falcon = Assert.Single(run.Lines, l => l.StartsWith("falcon-7b ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("builder:tiiuae/falcon-7b", falcon[^1]);
    }

    [Fact]
    public void Presets_json_gives_the_weights_source_for_cuda_and_cpu_with_the_commands()
    {
        var run = CliRun.Of("presets", "-o", "json");

        using var doc = JsonDocument.Parse(run.Stdout);
        var phi4 = doc.RootElement.EnumerateArray().Single(e => e.GetProperty("name").GetString() == "phi-4");
        var weights = phi4.GetProperty("weights");
        Assert.Equal(("microsoft/phi-4-onnx", "gpu/gpu-int4-rtn-block-32", "cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4"),
            (weights.GetProperty("huggingFace").GetString(), weights.GetProperty("cuda").GetString(), weights.GetProperty("cpu").GetString()));
        Assert.Equal(14_700_000_000, phi4.GetProperty("parameters").GetInt64());
        var llama = doc.RootElement.EnumerateArray().Single(e => e.GetProperty("name").GetString() == "llama-3.1-8b-instruct").GetProperty("weights");
        Assert.Equal("python -m onnxruntime_genai.models.builder -m meta-llama/Llama-3.1-8B-Instruct -o weights -p int4 -e cpu", llama.GetProperty("cpuCommand").GetString());
    }

    [Fact]
    public void Skus_json_lists_every_sku()
    {
        var run = CliRun.Of("skus", "-o", "json");

        using var doc = JsonDocument.Parse(run.Stdout);
        var h200 = doc.RootElement.EnumerateArray().Single(e => e.GetProperty("name").GetString() == "Standard_ND96isr_H200_v5");
        Assert.Equal(8, h200.GetProperty("gpuCount").GetInt32());
        Assert.Equal("1128Gi", h200.GetProperty("totalGpuMemory").GetString());
        Assert.Equal(JsonValueKind.Null, h200.GetProperty("pricePerHour").ValueKind);
    }

    [Fact]
    public void A_broken_catalog_folder_fails_with_file_entry_and_reason()
    {
        var dir = Directory.CreateTempSubdirectory("kaito-cli-catalog-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "models.yaml"), "presets: []\n");
            File.WriteAllText(Path.Combine(dir, "skus.yaml"), "skus:\n  - {name: a, cloud: azure, gpuCount: 1, gpuMemory: lots, gpuModel: T4}\n");

            var run = CliRun.Of("skus", "--catalog", dir);

            Assert.Equal(1, run.ExitCode);
            Assert.Contains($"{Path.Combine(dir, "skus.yaml")}: entry 1 \"a\": gpuMemory: \"lots\" is not a Kubernetes quantity", run.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Crds_prints_the_committed_crd()
    {
        var run = CliRun.Of("crds");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(File.ReadAllText(RepoPaths.Of("deploy", "crds", "kaito.sh_workspaces.yaml")), run.Stdout);
    }

    [Fact]
    public void Help_prints_usage_with_exit_0()
    {
        var run = CliRun.Of("help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("kaito validate -f FILE...", run.Stdout, StringComparison.Ordinal);
    }
}
