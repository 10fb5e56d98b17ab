using System.Text.Json.Serialization;
using k8s.Models;

namespace Kaito.NodeSimulator.Claims;

internal sealed class ClaimList
{
    [JsonPropertyName("metadata")]
    public V1ListMeta? Metadata { get; set; }

    [JsonPropertyName("items")]
    public List<ClaimObject> Items { get; set; } = [];
}
