using System.Text.Json.Serialization;

namespace Kaito.Api.V1Alpha1;

public sealed class AdapterSpec
{
    [JsonPropertyName("source")]
    [SchemaDescription("Where the adapter comes from: its name and image.")]
    public DataSource? Source { get; set; }

    [JsonPropertyName("strength")]
    [SchemaDescription("How strongly the adapter applies, a float in [0, 1] written as a string. Defaults to \"1.0\".")]
    public string? Strength { get; set; }

    public const string DefaultStrength = "1.0";

    [JsonIgnore]
    public string EffectiveStrength => Strength ?? DefaultStrength;
}
