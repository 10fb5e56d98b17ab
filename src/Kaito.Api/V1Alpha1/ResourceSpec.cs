using System.Text.Json.Serialization;
using k8s.Models;

namespace Kaito.Api.V1Alpha1;

public sealed class ResourceSpec
{
    [JsonPropertyName("count")]
    [SchemaDescription("The number of GPU nodes. Defaults to 1.")]
    [SchemaMinimum(1)]
    public int? Count { get; set; }

    [JsonPropertyName("instanceType")]
    [SchemaDescription("The GPU node SKU, e.g. Standard_NC6s_v3. When omitted, Kaito.NET picks the smallest catalog SKU that fits the preset.")]
    public string? InstanceType { get; set; }

    [JsonPropertyName("labelSelector")]
    [SchemaDescription("Labels that select the GPU nodes; provisioned nodes carry them.")]
    [SchemaRequired]
    public V1LabelSelector? LabelSelector { get; set; }

    [JsonPropertyName("preferredNodes")]
    [SchemaDescription("Existing nodes to use before provisioning new ones (bring your own GPU nodes).")]
    public IList<string>? PreferredNodes { get; set; }

    /// <summary>The effective node count: upstream defaults a missing count to 1.</summary>
    [JsonIgnore]
    public int EffectiveCount => Count ?? 1;
}
