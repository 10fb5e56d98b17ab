using System.Text.Json;
using Kaito.Runtime.Serving;

namespace Kaito.Runtime.Kaito;

/// <summary>
/// Upstream's generate_kwargs beyond the ones served: each is accepted only with a value that leaves the answer as
/// transformers would give it for one greedy or sampled sequence, else refused with a 400 naming it. A kwarg upstream
/// does not define is refused too. docs/runtime.md has the table.
/// </summary>
public static class GenerateKwargsPolicy
{
    private static readonly Dictionary<string, Func<JsonElement, int[], string?>> Rules = new(StringComparer.Ordinal)
    {
        ["num_beams"] = (v, _) => IsNumber(v, 1) ? null : "beam search is not served; only 1 is supported",
        ["num_beam_groups"] = (v, _) => IsNumber(v, 1) ? null : "beam search is not served; only 1 is supported",
        ["diversity_penalty"] = (v, _) => IsNumber(v, 0) ? null : "beam search is not served; only 0 is supported",
        ["early_stopping"] = (v, _) => v.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : "must be a boolean (it only affects beam search)",
        ["length_penalty"] = (v, _) => v.ValueKind == JsonValueKind.Number ? null : "must be a number (it only affects beam search)",
        ["typical_p"] = (v, _) => IsNumber(v, 1) ? null : "typical sampling is not served; only 1 is supported",
        ["no_repeat_ngram_size"] = (v, _) => IsNumber(v, 0) ? null : "n-gram blocking is not served; only 0 is supported",
        ["encoder_no_repeat_ngram_size"] = (v, _) => IsNumber(v, 0) ? null : "n-gram blocking is not served; only 0 is supported",
        ["bad_words_ids"] = (v, _) => v.ValueKind == JsonValueKind.Array && v.GetArrayLength() == 0 ? null : "banned words are not served",
        ["num_return_sequences"] = (v, _) => IsNumber(v, 1) ? null : "/chat returns one sequence; only 1 is supported",
        ["output_scores"] = (v, _) => v.ValueKind == JsonValueKind.False ? null : "/chat returns text only; only false is supported",
        ["return_dict_in_generate"] = (v, _) => v.ValueKind == JsonValueKind.False ? null : "/chat returns text only; only false is supported",
        ["pad_token_id"] = (v, _) => v.ValueKind == JsonValueKind.Number ? null : "must be a token id",
        ["eos_token_id"] = (v, eos) => v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var id) && eos.Contains(id) ? null : $"only the model's own end token ({string.Join(", ", eos)}) is supported",
        ["forced_bos_token_id"] = (_, _) => "forced tokens are not served",
        ["forced_eos_token_id"] = (_, _) => "forced tokens are not served",
        ["remove_invalid_values"] = (v, _) => v.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : "must be a boolean",
    };

    /// <summary>Throws a 400 naming the first kwarg refused; JSON null counts as absent.</summary>
    public static void Check(GenerateKwargs kwargs, int[] eosTokenIds)
    {
        if (kwargs.MaxNewTokens is < 0)
        {
            throw new RuntimeRequestException(400, $"generate_kwargs.max_new_tokens must not be negative, got {kwargs.MaxNewTokens}.");
        }

        foreach (var (name, value) in kwargs.Unmapped ?? [])
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            var reason = Rules.TryGetValue(name, out var rule) ? rule(value, eosTokenIds) : "this generate_kwargs key is unknown";
            if (reason is not null)
            {
                throw new RuntimeRequestException(400, $"Unsupported generate_kwargs.{name}: {reason}.");
            }
        }
    }

    private static bool IsNumber(JsonElement value, double expected) => value.ValueKind == JsonValueKind.Number && value.GetDouble() == expected;
}
