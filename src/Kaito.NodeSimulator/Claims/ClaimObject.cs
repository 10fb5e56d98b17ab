using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Kaito.NodeSimulator.Claims;

/// <summary>The parts of a NodeClaim or Machine the simulator reads (both share this shape).</summary>
internal sealed class ClaimObject : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public ClaimSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public ClaimStatus? Status { get; set; }

    public string? InstanceType =>
        Spec?.Requirements?.FirstOrDefault(r => r.Key == SimulatorLabels.InstanceType && r.Operator == "In")?.Values?.FirstOrDefault();

    public ClaimCondition? Condition(string type) => Status?.Conditions?.FirstOrDefault(c => c.Type == type);
}
