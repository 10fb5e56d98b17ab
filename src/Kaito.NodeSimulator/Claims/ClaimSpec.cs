using System.Text.Json.Serialization;
using k8s.Models;

namespace Kaito.NodeSimulator.Claims;

internal sealed class ClaimSpec
{
    [JsonPropertyName("requirements")]
    public List<ClaimRequirement>? Requirements { get; set; }

    [JsonPropertyName("taints")]
    public List<V1Taint>? Taints { get; set; }
}
