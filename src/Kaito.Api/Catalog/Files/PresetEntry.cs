using System.Text.Json.Serialization;

namespace Kaito.Api.Catalog.Files;

/// <summary>One entry of presets/models.yaml as written; <see cref="CatalogLoader"/> checks it into a ModelPreset.</summary>
internal sealed class PresetEntry
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("family")] public string? Family { get; set; }
    [JsonPropertyName("gpuCount")] public int? GpuCount { get; set; }
    [JsonPropertyName("totalGpuMemory")] public string? TotalGpuMemory { get; set; }
    [JsonPropertyName("perGpuMemory")] public string? PerGpuMemory { get; set; }
    [JsonPropertyName("diskStorage")] public string? DiskStorage { get; set; }
    [JsonPropertyName("contextLength")] public int? ContextLength { get; set; }
    [JsonPropertyName("distributed")] public bool? Distributed { get; set; }
    [JsonPropertyName("accessMode")] public string? AccessMode { get; set; }
    [JsonPropertyName("image")] public string? Image { get; set; }
    [JsonPropertyName("tag")] public string? Tag { get; set; }
    [JsonPropertyName("readinessTimeout")] public string? ReadinessTimeout { get; set; }
    [JsonPropertyName("runtimeArgs")] public IDictionary<string, string>? RuntimeArgs { get; set; }
    [JsonPropertyName("tuning")] public TuningEntry? Tuning { get; set; }
    [JsonPropertyName("parameters")] public string? Parameters { get; set; }
    [JsonPropertyName("weights")] public WeightsEntry? Weights { get; set; }
}
