using System.Text.Json.Serialization;

namespace Kaito.Api.V1Alpha1;

public sealed class PresetSpec
{
    [JsonPropertyName("name")]
    [SchemaDescription("The preset model name, e.g. phi-3-mini-4k-instruct.")]
    [SchemaRequired]
    public string? Name { get; set; }

    [JsonPropertyName("accessMode")]
    [SchemaDescription("public (default) pulls the model image from the public registry; private uses presetOptions.image.")]
    [SchemaEnum(AccessModes.Public, AccessModes.Private)]
    public string? AccessMode { get; set; }

    [JsonPropertyName("presetOptions")]
    public PresetOptions? PresetOptions { get; set; }

    [JsonIgnore]
    public string EffectiveAccessMode => string.IsNullOrEmpty(AccessMode) ? AccessModes.Public : AccessMode;
}
