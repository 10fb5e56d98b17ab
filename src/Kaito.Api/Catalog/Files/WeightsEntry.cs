using System.Text.Json.Serialization;

namespace Kaito.Api.Catalog.Files;

internal sealed class WeightsEntry
{
    [JsonPropertyName("huggingFace")] public string? HuggingFace { get; set; }
    [JsonPropertyName("cuda")] public string? Cuda { get; set; }
    [JsonPropertyName("cpu")] public string? Cpu { get; set; }
    [JsonPropertyName("build")] public string? Build { get; set; }
}
