using System.Text.Json.Serialization;

namespace Kaito.Api.V1Alpha1;

public sealed class TuningSpec
{
    [JsonPropertyName("preset")]
    [SchemaDescription("The preset model to tune.")]
    public PresetSpec? Preset { get; set; }

    [JsonPropertyName("method")]
    [SchemaDescription("The tuning method: lora or qlora.")]
    public string? Method { get; set; }

    [JsonPropertyName("config")]
    [SchemaDescription("The name of a ConfigMap with training parameters; defaults to lora-params-template or qlora-params-template.")]
    public string? Config { get; set; }

    [JsonPropertyName("input")]
    [SchemaDescription("The training data: exactly one of urls, image and volumeSource.")]
    public DataSource? Input { get; set; }

    [JsonPropertyName("output")]
    [SchemaDescription("Where the adapter goes: an image (with imagePushSecret) or a volume.")]
    public DataDestination? Output { get; set; }
}
