using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kaito.Api.Catalog.Files;
using Kaito.Api.Serialization;
using Kaito.Api.V1Alpha1;

namespace Kaito.Api.Catalog;

/// <summary>
/// Reads the catalog files and checks every entry: unknown keys, wrong types, missing fields, bad quantities and
/// durations, duplicate names. Errors are collected, never thrown one at a time.
/// </summary>
internal static class CatalogLoader
{
    public static PresetCatalog LoadPresets(string file, string yaml, List<CatalogError> errors)
    {
        var root = ReadRoot<PresetFile>(file, yaml, errors);
        var presets = new List<ModelPreset>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (node, index) in (root?.Presets ?? []).Select((n, i) => (n, i)))
        {
            var entry = ReadEntry<PresetEntry>(file, index, node, errors);
            if (entry is null)
            {
                continue;
            }

            var checker = new EntryChecker(file, EntryName(index, entry.Name), errors);
            var preset = ToPreset(entry, checker);
            if (preset is not null && !seen.Add(preset.Name))
            {
                checker.Fail($"duplicate preset name \"{preset.Name}\"");
            }
            else if (preset is not null)
            {
                presets.Add(preset);
            }
        }

        return new PresetCatalog(root?.Registry ?? PresetCatalog.DefaultRegistry, presets);
    }

    public static SkuCatalog LoadSkus(string file, string yaml, List<CatalogError> errors)
    {
        var root = ReadRoot<SkuFile>(file, yaml, errors);
        var skus = new List<GpuSku>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (node, index) in (root?.Skus ?? []).Select((n, i) => (n, i)))
        {
            var entry = ReadEntry<SkuEntry>(file, index, node, errors);
            if (entry is null)
            {
                continue;
            }

            var checker = new EntryChecker(file, EntryName(index, entry.Name), errors);
            var name = checker.Required(entry.Name, "name");
            var cloud = checker.Required(entry.Cloud, "cloud");
            var gpuCount = checker.Positive(entry.GpuCount, "gpuCount");
            var memory = checker.Quantity(entry.GpuMemory, "gpuMemory", required: true);
            var model = checker.Required(entry.GpuModel, "gpuModel");
            if (entry.PricePerHour is < 0)
            {
                checker.Fail("pricePerHour: must not be negative");
            }

            if (!checker.Ok || name is null || cloud is null || model is null || memory is null)
            {
                continue;
            }

            if (!seen.Add(name))
            {
                checker.Fail($"duplicate SKU name \"{name}\"");
                continue;
            }

            skus.Add(new GpuSku(name, cloud, gpuCount, memory, model, entry.PricePerHour));
        }

        return new SkuCatalog(skus);
    }

    private static ModelPreset? ToPreset(PresetEntry e, EntryChecker c)
    {
        var name = c.Required(e.Name, "name");
        var family = c.Required(e.Family, "family");
        var gpuCount = c.Positive(e.GpuCount, "gpuCount");
        var total = c.Quantity(e.TotalGpuMemory, "totalGpuMemory", required: true);
        var perGpu = c.Quantity(e.PerGpuMemory, "perGpuMemory", required: false);
        var disk = c.Quantity(e.DiskStorage, "diskStorage", required: true);
        var context = c.Positive(e.ContextLength, "contextLength");
        var tag = c.Required(e.Tag, "tag");
        var timeout = c.Duration(e.ReadinessTimeout, "readinessTimeout");
        var accessMode = e.AccessMode ?? AccessModes.Public;
        if (accessMode is not (AccessModes.Public or AccessModes.Private))
        {
            c.Fail($"accessMode: must be \"public\" or \"private\", got \"{accessMode}\"");
        }

        var tuningMemory = c.Quantity(e.Tuning?.TotalGpuMemory, "tuning.totalGpuMemory", required: false);
        var parameters = c.ParameterCount(e.Parameters);
        var weights = c.Weights(e.Weights);
        if (parameters is { } count && total is not null && total.ToDecimal() < count * 2m)
        {
            c.Fail($"totalGpuMemory: {total} is below the fp16 weights of {e.Parameters} parameters ({(count * 2m / (1024m * 1024 * 1024)).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}Gi)");
        }

        if (!c.Ok || name is null || family is null || total is null || disk is null || tag is null)
        {
            return null;
        }

        return new ModelPreset(name, family, gpuCount, total, perGpu, disk, context, e.Distributed ?? false, accessMode,
            e.Image ?? $"kaito-{name}", tag, timeout,
            new Dictionary<string, string>(e.RuntimeArgs ?? new Dictionary<string, string>(), StringComparer.Ordinal),
            e.Tuning?.Supported == true ? new TuningSupport(true, tuningMemory) : TuningSupport.None, parameters, weights);
    }

    private static T? ReadRoot<T>(string file, string yaml, List<CatalogError> errors) where T : class
    {
        JsonNode? node;
        try
        {
            var docs = YamlDocumentReader.Read(yaml);
            node = docs.Count == 1 ? docs[0] : throw new WorkspaceFormatException([new("(file)", $"expected one YAML document, found {docs.Count}")]);
        }
        catch (WorkspaceFormatException ex)
        {
            errors.AddRange(ex.Errors.Select(e => new CatalogError(file, "(file)", e.ToString())));
            return null;
        }

        var shape = JsonShapeChecker.Check(node, typeof(T));
        errors.AddRange(shape.Select(e => new CatalogError(file, "(file)", e.ToString())));
        return shape.Count == 0 ? node.Deserialize<T>() : null;
    }

    private static T? ReadEntry<T>(string file, int index, JsonNode? node, List<CatalogError> errors) where T : class
    {
        var shape = JsonShapeChecker.Check(node, typeof(T));
        var name = (node as JsonObject)?["name"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
        errors.AddRange(shape.Select(e => new CatalogError(file, EntryName(index, name), e.ToString())));
        return shape.Count == 0 && node is not null ? node.Deserialize<T>() : null;
    }

    private static string EntryName(int index, string? name) =>
        name is null ? $"entry {index + 1}" : $"entry {index + 1} \"{name}\"";

    /// <summary>Checks one entry's fields and records what is wrong with them.</summary>
    private sealed class EntryChecker(string file, string entry, List<CatalogError> errors)
    {
        public bool Ok { get; private set; } = true;

        public void Fail(string reason)
        {
            Ok = false;
            errors.Add(new CatalogError(file, entry, reason));
        }

        public string? Required(string? value, string field)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                Fail($"{field}: required");
                return null;
            }

            return value;
        }

        public int Positive(int? value, string field)
        {
            if (value is not > 0)
            {
                Fail(value is null ? $"{field}: required" : $"{field}: must be at least 1, got {value}");
                return 0;
            }

            return value.Value;
        }

        public ResourceQuantity? Quantity(string? value, string field, bool required)
        {
            if (value is null)
            {
                if (required)
                {
                    Fail($"{field}: required");
                }

                return null;
            }

            try
            {
                var q = new ResourceQuantity(value);
                if (q.ToDecimal() < 0)
                {
                    Fail($"{field}: must not be negative, got \"{value}\"");
                    return null;
                }

                return q;
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
            {
                Fail($"{field}: \"{value}\" is not a Kubernetes quantity (e.g. 16Gi, 500Mi)");
                return null;
            }
        }

        /// <summary><c>3.82B</c>, <c>560M</c>: a parameter count with its unit.</summary>
        public long? ParameterCount(string? value)
        {
            if (value is null)
            {
                return null;
            }

            var unit = value.Length > 1 ? value[^1] switch { 'B' => 1_000_000_000m, 'M' => 1_000_000m, _ => 0m } : 0m;
            if (unit > 0 && decimal.TryParse(value[..^1], System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var number) && number > 0)
            {
                return (long)(number * unit);
            }

            Fail($"parameters: \"{value}\" is not a parameter count (e.g. 3.82B, 560M)");
            return null;
        }

        /// <summary>Either a published export (huggingFace, cuda and cpu) or a model to build, not both.</summary>
        public ModelWeights? Weights(WeightsEntry? value)
        {
            if (value is null)
            {
                return null;
            }

            var published = value.HuggingFace is not null || value.Cuda is not null || value.Cpu is not null;
            if (published == (value.Build is not null))
            {
                Fail("weights: give either huggingFace, cuda and cpu (a published ONNX export) or build (the model the model builder converts)");
                return null;
            }

            if (published && (string.IsNullOrWhiteSpace(value.HuggingFace) || string.IsNullOrWhiteSpace(value.Cuda) || string.IsNullOrWhiteSpace(value.Cpu)))
            {
                Fail("weights: a published ONNX export needs huggingFace, cuda and cpu");
                return null;
            }

            foreach (var repository in new[] { value.HuggingFace, value.Build }.OfType<string>())
            {
                if (repository.Split('/') is not [{ Length: > 0 }, { Length: > 0 }])
                {
                    Fail($"weights: \"{repository}\" is not a Hugging Face repository (owner/name)");
                    return null;
                }
            }

            return new ModelWeights(value.HuggingFace, value.Cuda, value.Cpu, value.Build);
        }

        public TimeSpan Duration(string? value, string field)
        {
            if (value is null)
            {
                Fail($"{field}: required");
                return TimeSpan.Zero;
            }

            if (GoDuration.TryParse(value, out var duration) && duration > TimeSpan.Zero)
            {
                return duration;
            }

            Fail($"{field}: \"{value}\" is not a positive duration (e.g. 30m, 1h30m, 90s)");
            return TimeSpan.Zero;
        }
    }
}
