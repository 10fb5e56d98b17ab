using System.Text.Json.Serialization;
using k8s.Models;

namespace Kaito.Api.V1Alpha1;

public sealed class DataSource
{
    [JsonPropertyName("name")]
    [SchemaDescription("The name of the data (the adapter name for adapters).")]
    public string? Name { get; set; }

    [JsonPropertyName("urls")]
    [SchemaDescription("URLs to download the data from.")]
    public IList<string>? Urls { get; set; }

    [JsonPropertyName("volumeSource")]
    [SchemaDescription("A volume that holds the data.")]
    // KubernetesClient has no VolumeSource type; V1Volume is a VolumeSource plus an unused name.
    [SchemaPreserveUnknownFields]
    public V1Volume? Volume { get; set; }

    [JsonPropertyName("image")]
    [SchemaDescription("An image that holds the data under /data.")]
    public string? Image { get; set; }

    [JsonPropertyName("imagePullSecrets")]
    [SchemaDescription("Secrets used to pull the image.")]
    public IList<string>? ImagePullSecrets { get; set; }
}
