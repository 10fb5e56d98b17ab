using System.Globalization;
using Kaito.Api.Catalog;
using Kaito.Api.V1Alpha1;

namespace Kaito.Api.Validation;

internal static class InferenceRules
{
    public const int MaxAdapters = 10;

    public static void Check(InferenceSpec inference, PresetCatalog presets, ValidationCollector c)
    {
        if (inference.Preset is null && inference.Template is null)
        {
            c.Error("inference", "Preset or Template must be specified");
        }

        if (inference.Preset is not null && inference.Template is not null)
        {
            c.Error("inference", "Preset and Template cannot be set at the same time");
        }

        if (inference.Preset is { } preset)
        {
            CheckPreset(preset, presets, c);
        }

        CheckAdapters(inference.Adapters ?? [], c);
    }

    private static void CheckPreset(PresetSpec preset, PresetCatalog presets, ValidationCollector c)
    {
        if (!presets.TryGet(preset.Name, out var model))
        {
            c.Error("inference.preset.name", $"Unsupported inference preset name \"{preset.Name}\"");
        }

        if (preset.AccessMode is { Length: > 0 } mode && mode is not (AccessModes.Public or AccessModes.Private))
        {
            c.Error("inference.preset.accessMode", $"Unsupported value: \"{mode}\": supported values: \"public\", \"private\"");
        }

        if (model?.AccessMode == AccessModes.Private && preset.EffectiveAccessMode != AccessModes.Private)
        {
            c.Error("inference.preset.accessMode", "This preset only supports private AccessMode, AccessMode must be private to continue");
        }

        if (preset.EffectiveAccessMode == AccessModes.Private && string.IsNullOrEmpty(preset.PresetOptions?.Image))
        {
            c.Error("inference.preset.presetOptions.image", "When AccessMode is private, an image must be provided in PresetOptions");
        }
    }

    private static void CheckAdapters(IList<AdapterSpec> adapters, ValidationCollector c)
    {
        if (adapters.Count > MaxAdapters)
        {
            c.Error("inference.adapters", $"Number of Adapters exceeds the maximum limit, maximum of {MaxAdapters} allowed");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < adapters.Count; i++)
        {
            var path = $"inference.adapters[{i}]";
            var adapter = adapters[i];
            if (adapter.Source is not { } source)
            {
                c.Error($"{path}.source", "Required value");
                continue;
            }

            if (string.IsNullOrEmpty(source.Name))
            {
                c.Error($"{path}.source.name", "Name of Adapter field must be specified");
            }
            else if (Dns1123.CheckLabel(source.Name) is { } problem)
            {
                c.Error($"{path}.source.name", $"Invalid value: \"{source.Name}\": {problem}");
            }
            else if (!seen.Add(source.Name))
            {
                c.Error($"{path}.source.name", $"Duplicate adapter source name found: {source.Name}");
            }

            if (string.IsNullOrEmpty(source.Image))
            {
                c.Error($"{path}.source.image", "Image of Adapter field must be specified");
            }
            else if (!ImageReference.IsValid(source.Image))
            {
                c.Error($"{path}.source.image", $"Invalid image reference \"{source.Image}\": expected <registry>/<repository>:<tag>");
            }

            CheckStrength(adapter, path, c);
        }
    }

    private static void CheckStrength(AdapterSpec adapter, string path, ValidationCollector c)
    {
        var name = adapter.Source?.Name;
        if (!double.TryParse(adapter.EffectiveStrength, NumberStyles.Float, CultureInfo.InvariantCulture, out var strength)
            || double.IsNaN(strength))
        {
            c.Error($"{path}.strength", $"Invalid strength value for Adapter '{name}': \"{adapter.Strength}\" is not a number");
        }
        else if (strength is < 0 or > 1)
        {
            c.Error($"{path}.strength", $"Strength value for Adapter '{name}' must be between 0 and 1");
        }
    }
}
