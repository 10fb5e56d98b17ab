using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Kaito.Api.Catalog.Files;

/// <summary>The shape of presets/models.yaml.</summary>
internal sealed class PresetFile
{
    [JsonPropertyName("registry")]
    public string? Registry { get; set; }

    [JsonPropertyName("presets")]
    public IList<JsonNode?>? Presets { get; set; }
}
