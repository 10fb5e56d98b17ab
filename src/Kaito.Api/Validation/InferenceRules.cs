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
                c.Error($"{path}.source", DataSourceRules.ExactlyOneSource);
                continue;
            }

            CheckAdapterName(source.Name, path, seen, c);
            CheckAdapterSource(source, path, c);
            CheckStrength(adapter, path, c);
        }
    }

    // Upstream checks adapter names as DNS-1123 subdomains (up to 253 characters); the manifest builder maps a name
    // that cannot be a container or volume name to one that can.
    private static void CheckAdapterName(string? name, string path, HashSet<string> seen, ValidationCollector c)
    {
        if (string.IsNullOrEmpty(name))
        {
            c.Error($"{path}.source.name", "Name of Adapter field must be specified");
        }
        else if (Dns1123.CheckSubdomain(name) is { } problem)
        {
            c.Error($"{path}.source.name", $"Invalid value: \"{name}\": {problem}");
        }
        else if (!seen.Add(name))
        {
            c.Error($"{path}.source.name", $"Duplicate adapter source name found: {name}");
        }
    }

    private static void CheckAdapterSource(DataSource source, string path, ValidationCollector c)
    {
        if (DataSourceRules.CountSources(source) != 1)
        {
            c.Error($"{path}.source", DataSourceRules.ExactlyOneSource);
        }

        if (string.IsNullOrEmpty(source.Image) && source.Volume is null)
        {
            c.Error($"{path}.source", "Either Image or Volume must be specified for adapter source");
        }

        if (source.Urls is { Count: > 0 })
        {
            c.Error($"{path}.source.urls", "URLs are not supported as adapter source");
        }

        // Adapters are pulled, never pushed: any reference the grammar accepts will do, a digest included.
        if (!string.IsNullOrEmpty(source.Image) && ImageReference.TryParse(source.Image, out var error) is null)
        {
            c.Error($"{path}.source.image", $"Unable to parse input image reference: {error}");
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
