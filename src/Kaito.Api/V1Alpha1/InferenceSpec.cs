using System.Text.Json.Serialization;
using k8s.Models;

namespace Kaito.Api.V1Alpha1;

public sealed class InferenceSpec
{
    [JsonPropertyName("preset")]
    [SchemaDescription("A model from the preset catalog. Exactly one of preset and template is set.")]
    public PresetSpec? Preset { get; set; }

    [JsonPropertyName("template")]
    [SchemaDescription("A pod template for a model outside the catalog. Exactly one of preset and template is set.")]
    [SchemaPreserveUnknownFields]
    public V1PodTemplateSpec? Template { get; set; }

    [JsonPropertyName("adapters")]
    [SchemaDescription("LoRA adapters loaded next to the preset model, at most 10.")]
    [SchemaMaxItems(10)]
    public IList<AdapterSpec>? Adapters { get; set; }

    [JsonPropertyName("config")]
    [SchemaDescription("The name of a ConfigMap with inference parameters.")]
    public string? Config { get; set; }
}
