using System.Text.Json.Serialization;

namespace Kaito.NodeSimulator.Claims;

internal sealed class ClaimStatus
{
    [JsonPropertyName("nodeName")]
    public string? NodeName { get; set; }

    [JsonPropertyName("providerID")]
    public string? ProviderId { get; set; }

    [JsonPropertyName("conditions")]
    public List<ClaimCondition>? Conditions { get; set; }
}
