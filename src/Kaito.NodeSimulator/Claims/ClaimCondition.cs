using System.Text.Json.Serialization;

namespace Kaito.NodeSimulator.Claims;

internal sealed class ClaimCondition
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    [JsonPropertyName("status")]
    public string Status { get; set; } = "";

    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("lastTransitionTime")]
    public string? LastTransitionTime { get; set; }
}
