using System.Text.Json;

namespace Kaito.Runtime.Adapters;

/// <summary>
/// The parts of PEFT's adapter_config.json that decide how a LoRA adapter is applied: rank <c>r</c>, <c>lora_alpha</c>
/// (the update is scaled by alpha / r, or alpha / sqrt(r) with <c>use_rslora</c>) and <c>target_modules</c>.
/// Settings this server cannot apply faithfully (another peft_type, DoRA, per-module rank or alpha patterns) are refused.
/// </summary>
public sealed record PeftAdapterConfig(int Rank, double Alpha, bool UseRsLora, IReadOnlyList<string> TargetModules)
{
    public const string FileName = "adapter_config.json";

    /// <summary>What PEFT multiplies lora_B·lora_A by.</summary>
    public double Scale => UseRsLora ? Alpha / Math.Sqrt(Rank) : Alpha / Rank;

    public static PeftAdapterConfig Read(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{FileName} is not valid JSON ({error.Message}).", error);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{FileName} is not a JSON object.");
            }

            if (String(root, "peft_type") is { } type && !type.Equals("LORA", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException($"{FileName} has peft_type {type}; only LORA adapters can be served.");
            }

            if (root.TryGetProperty("use_dora", out var dora) && dora.ValueKind == JsonValueKind.True)
            {
                throw new InvalidDataException($"{FileName} sets use_dora; DoRA adapters cannot be applied as LoRA inputs.");
            }

            foreach (var pattern in (string[])["rank_pattern", "alpha_pattern"])
            {
                if (root.TryGetProperty(pattern, out var value) && value.ValueKind == JsonValueKind.Object && value.EnumerateObject().Any())
                {
                    throw new InvalidDataException($"{FileName} sets {pattern}; per-module ranks and alphas are not supported.");
                }
            }

            var rank = Number(root, "r");
            if (rank is not { } r || r < 1 || r != Math.Floor(r))
            {
                throw new InvalidDataException($"{FileName} needs r, a positive whole number.");
            }

            var alpha = Number(root, "lora_alpha") ?? throw new InvalidDataException($"{FileName} needs lora_alpha.");
            var targets = root.TryGetProperty("target_modules", out var modules) ? modules.ValueKind switch
            {
                JsonValueKind.Array => modules.EnumerateArray().Select(m => m.GetString() ?? string.Empty).ToArray(),
                JsonValueKind.String => [modules.GetString()!],
                _ => [],
            } : [];
            var rsLora = root.TryGetProperty("use_rslora", out var rs) && rs.ValueKind == JsonValueKind.True;
            return new PeftAdapterConfig((int)r, alpha, rsLora, targets);
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
