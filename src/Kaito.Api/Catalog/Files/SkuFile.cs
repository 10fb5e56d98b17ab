using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Kaito.Api.Catalog.Files;

/// <summary>The shape of presets/skus.yaml.</summary>
internal sealed class SkuFile
{
    [JsonPropertyName("skus")]
    public IList<JsonNode?>? Skus { get; set; }
}
