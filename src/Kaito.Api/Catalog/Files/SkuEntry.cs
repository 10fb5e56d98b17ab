using System.Text.Json.Serialization;

namespace Kaito.Api.Catalog.Files;

internal sealed class SkuEntry
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("cloud")] public string? Cloud { get; set; }
    [JsonPropertyName("gpuCount")] public int? GpuCount { get; set; }
    [JsonPropertyName("gpuMemory")] public string? GpuMemory { get; set; }
    [JsonPropertyName("gpuModel")] public string? GpuModel { get; set; }
    [JsonPropertyName("pricePerHour")] public decimal? PricePerHour { get; set; }
}
