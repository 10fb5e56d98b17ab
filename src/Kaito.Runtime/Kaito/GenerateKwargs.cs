using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kaito.Runtime.Kaito;

/// <summary>
/// Kaito's generate_kwargs with upstream's defaults; max_length and min_length count the prompt too, max_new_tokens
/// (when given) wins over max_length as in transformers. Upstream's other kwargs land in <see cref="Unmapped"/>,
/// where <see cref="GenerateKwargsPolicy"/> accepts the values that cannot change the answer and refuses the rest.
/// </summary>
public sealed record GenerateKwargs(
    int MaxLength = 200,
    int MinLength = 0,
    bool DoSample = true,
    double Temperature = 1.0,
    int TopK = 10,
    double TopP = 1.0,
    double RepetitionPenalty = 1.0,
    int? MaxNewTokens = null)
{
    [JsonIgnore]
    public Dictionary<string, JsonElement>? Unmapped { get; init; }
}
