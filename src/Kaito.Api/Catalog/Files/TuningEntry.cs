using System.Text.Json.Serialization;

namespace Kaito.Api.Catalog.Files;

internal sealed class TuningEntry
{
    [JsonPropertyName("supported")] public bool? Supported { get; set; }
    [JsonPropertyName("totalGpuMemory")] public string? TotalGpuMemory { get; set; }
}
