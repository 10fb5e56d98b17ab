using System.Text.Json.Serialization;

namespace Kaito.Api.V1Alpha1;

public sealed class PresetOptions
{
    [JsonPropertyName("image")]
    [SchemaDescription("The model image for a private preset.")]
    public string? Image { get; set; }

    [JsonPropertyName("imagePullSecrets")]
    [SchemaDescription("Secrets used to pull the private model image.")]
    public IList<string>? ImagePullSecrets { get; set; }
}
