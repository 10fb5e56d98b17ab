using System.Globalization;
using System.Text.Json;
using Kaito.Api.Catalog;
using Kaito.Api.Validation;

namespace Kaito.Silo.Cli;

/// <summary><c>kaito presets</c> and <c>kaito skus</c>.</summary>
public static class CatalogCommand
{
    public const string Usage = """
        Usage: kaito presets|skus [-o table|json] [--catalog DIR]
          -o, --output    table (default) or json
          --catalog DIR   a folder with models.yaml and skus.yaml instead of the shipped catalog
        """;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static int RunPresets(IReadOnlyList<string> args, TextWriter stdout)
    {
        if (!TryParse(args, stdout, out var output, out var catalogDir))
        {
            return ExitCodes.Ok;
        }

        var catalog = CatalogOption.Load(catalogDir);
        if (output == "json")
        {
            stdout.WriteLine(JsonSerializer.Serialize(catalog.Presets.All.Select(p => new
            {
                p.Name, p.Family, p.GpuCount, TotalGpuMemory = p.TotalGpuMemory.ToString(), PerGpuMemory = p.PerGpuMemory?.ToString(),
                DiskStorage = p.DiskStorage.ToString(), p.ContextLength, p.Distributed, p.AccessMode,
                Image = p.ImageReference(catalog.Presets.Registry), ReadinessTimeout = GoDuration.Format(p.ReadinessTimeout),
                p.RuntimeArgs, Tuning = new { p.Tuning.Supported, TotalGpuMemory = p.Tuning.TotalGpuMemory?.ToString() },
            }), Json));
            return ExitCodes.Ok;
        }

        TableWriter.Write(stdout,
            ["NAME", "GPUS", "GPU-MEMORY", "PER-GPU", "DISK", "CONTEXT", "WORKLOAD", "ACCESS", "TUNING", "IMAGE"],
            catalog.Presets.All.Select(p => (IReadOnlyList<string>)
            [
                p.Name, p.GpuCount.ToString(CultureInfo.InvariantCulture), p.TotalGpuMemory.ToString(), p.PerGpuMemory?.ToString() ?? "-",
                p.DiskStorage.ToString(), p.ContextLength.ToString(CultureInfo.InvariantCulture), p.Distributed ? "StatefulSet" : "Deployment",
                p.AccessMode, p.Tuning.Supported ? p.Tuning.TotalGpuMemory?.ToString() ?? "yes" : "no", p.ImageReference(catalog.Presets.Registry),
            ]));
        return ExitCodes.Ok;
    }

    public static int RunSkus(IReadOnlyList<string> args, TextWriter stdout)
    {
        if (!TryParse(args, stdout, out var output, out var catalogDir))
        {
            return ExitCodes.Ok;
        }

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

    /// <summary>False when help was asked for (and printed).</summary>
    private static bool TryParse(IReadOnlyList<string> args, TextWriter stdout, out string output, out string? catalogDir)
    {
        output = "table";
        catalogDir = null;
        var reader = new ArgumentReader(args, Usage);
        while (reader.TryNext(out var arg))
        {
            var (flag, inline) = ArgumentReader.Split(arg);
            switch (flag)
            {
                case "-h" or "--help":
                    stdout.WriteLine(Usage);
                    return false;
                case "-o" or "--output":
                    output = reader.Choice(flag, inline, "table", "json");
                    break;
                case "--catalog":
                    catalogDir = reader.Value(flag, inline);
                    break;
                default:
                    throw reader.Fail($"unknown flag \"{arg}\"");
            }
        }

        return true;
    }
}
