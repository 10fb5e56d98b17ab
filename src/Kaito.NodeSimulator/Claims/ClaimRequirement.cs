using System.Text.Json.Serialization;

namespace Kaito.NodeSimulator.Claims;

internal sealed class ClaimRequirement
{
    [JsonPropertyName("key")]
    public string Key { get; set; } = "";

    [JsonPropertyName("operator")]
    public string Operator { get; set; } = "";

    [JsonPropertyName("values")]
    public List<string>? Values { get; set; }
}
