using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Kaito.Api.Catalog;
using Kaito.Api.Validation;

namespace Kaito.Silo.Cli;

/// <summary><c>kaito presets</c> and <c>kaito skus</c>.</summary>
public static class CatalogCommand
{
    public static Command CreatePresets(TextWriter stdout) =>
        Create("presets", "List the preset models.", RunPresets, stdout, "table (default), wide (with parameters and weights source) or json.", "table", "wide", "json");

    public static Command CreateSkus(TextWriter stdout) => Create("skus", "List the GPU SKUs.", RunSkus, stdout, "table (default) or json.", "table", "json");

    private static Command Create(string name, string description, Func<string, string?, TextWriter, int> run, TextWriter stdout,
        string outputDescription, params string[] formats)
    {
        var output = OutputOption.Create(outputDescription, formats);
        var catalog = CatalogOption.Create();
        var command = new Command(name, description) { output, catalog };
        command.SetAction(parsed => run(parsed.GetValue(output)!, parsed.GetValue(catalog), stdout));
        return command;
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static int RunPresets(string output, string? catalogDir, TextWriter stdout)
    {
        var catalog = CatalogOption.Load(catalogDir);
        if (output == "json")
        {
            stdout.WriteLine(JsonSerializer.Serialize(catalog.Presets.All.Select(p => new
            {
                p.Name, p.Family, p.GpuCount, TotalGpuMemory = p.TotalGpuMemory.ToString(), PerGpuMemory = p.PerGpuMemory?.ToString(),
                DiskStorage = p.DiskStorage.ToString(), p.ContextLength, p.Distributed, p.AccessMode,
                Image = p.ImageReference(catalog.Presets.Registry), ReadinessTimeout = GoDuration.Format(p.ReadinessTimeout),
                p.RuntimeArgs, Tuning = new { p.Tuning.Supported, TotalGpuMemory = p.Tuning.TotalGpuMemory?.ToString() },
                p.Parameters,
                Weights = p.Weights is not { } w ? null : new
                {
                    w.HuggingFace, w.Cuda, w.Cpu, w.Build, w.Source, CudaCommand = w.Command("cuda"), CpuCommand = w.Command("cpu"),
                },
            }), Json));
            return ExitCodes.Ok;
        }

        var wide = output == "wide";
        TableWriter.Write(stdout,
            ["NAME", "GPUS", "GPU-MEMORY", "PER-GPU", "DISK", "CONTEXT", "WORKLOAD", "ACCESS", "TUNING", "IMAGE", .. wide ? new[] { "PARAMS", "WEIGHTS" } : []],
            catalog.Presets.All.Select(p => (IReadOnlyList<string>)
            [
                p.Name, p.GpuCount.ToString(CultureInfo.InvariantCulture), p.TotalGpuMemory.ToString(), p.PerGpuMemory?.ToString() ?? "-",
                p.DiskStorage.ToString(), p.ContextLength.ToString(CultureInfo.InvariantCulture), p.Distributed ? "StatefulSet" : "Deployment",
                p.AccessMode, p.Tuning.Supported ? p.Tuning.TotalGpuMemory?.ToString() ?? "yes" : "no", p.ImageReference(catalog.Presets.Registry),
                .. wide ? new[] { Billions(p.Parameters), WeightsColumn(p.Weights) } : [],
            ]));
        return ExitCodes.Ok;
    }

    private static string Billions(long? parameters) =>
        parameters is { } n ? (n / 1e9).ToString("0.##", CultureInfo.InvariantCulture) + "B" : "-";

    // One cell without spaces: the table splits on them.
    private static string WeightsColumn(ModelWeights? weights) => weights switch
    {
        null => "-",
        { IsPublished: true } => $"{weights.HuggingFace}:{weights.Cuda}",
        _ => $"builder:{weights.Build}",
    };

    private static int RunSkus(string output, string? catalogDir, TextWriter stdout)
    {
        var catalog = CatalogOption.Load(catalogDir);
        if (output == "json")
        {
            stdout.WriteLine(JsonSerializer.Serialize(catalog.Skus.All.Select(s => new
            {
                s.Name, s.Cloud, s.GpuCount, GpuMemory = s.GpuMemory.ToString(), TotalGpuMemory = QuantityText.Binary(s.TotalGpuMemoryBytes),
                s.GpuModel, s.PricePerHour,
            }), Json));
            return ExitCodes.Ok;
        }

        TableWriter.Write(stdout,
            ["NAME", "CLOUD", "GPUS", "GPU-MEMORY", "TOTAL", "GPU-MODEL", "PRICE/HOUR"],
            catalog.Skus.All.Select(s => (IReadOnlyList<string>)
            [
                s.Name, s.Cloud, s.GpuCount.ToString(CultureInfo.InvariantCulture), s.GpuMemory.ToString(),
                QuantityText.Binary(s.TotalGpuMemoryBytes), s.GpuModel, s.PricePerHour?.ToString(CultureInfo.InvariantCulture) ?? "-",
            ]));
        return ExitCodes.Ok;
    }
}
