using System.Text.Json.Serialization;
using k8s.Models;

namespace Kaito.Api.V1Alpha1;

public sealed class DataDestination
{
    [JsonPropertyName("volumeSource")]
    [SchemaDescription("A volume the tuning results are written to.")]
    // KubernetesClient has no VolumeSource type; V1Volume is a VolumeSource plus an unused name.
    [SchemaPreserveUnknownFields]
    public V1Volume? Volume { get; set; }

    [JsonPropertyName("image")]
    [SchemaDescription("The image the tuned adapter is pushed to, <registry>/<repository>:<tag>.")]
    public string? Image { get; set; }

    [JsonPropertyName("imagePushSecret")]
    [SchemaDescription("The secret used to push the output image.")]
    public string? ImagePushSecret { get; set; }
}
