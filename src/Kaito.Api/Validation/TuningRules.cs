using Kaito.Api.Catalog;
using Kaito.Api.V1Alpha1;

namespace Kaito.Api.Validation;

internal static class TuningRules
{
    public static void Check(TuningSpec tuning, PresetCatalog presets, ValidationCollector c)
    {
        var method = tuning.Method?.ToLowerInvariant();
        if (method is not (TuningMethods.Lora or TuningMethods.QLora))
        {
            c.Error("tuning.method", $"invalid value: \"{tuning.Method}\": supported values: \"lora\", \"qlora\"");
        }

        if (tuning.Preset is null)
        {
            c.Error("tuning.preset", "Required value");
        }
        else if (!presets.TryGet(tuning.Preset.Name, out var model))
        {
            c.Error("tuning.preset.name", $"Unsupported tuning preset name \"{tuning.Preset.Name}\"");
        }
        else if (!model.Tuning.Supported)
        {
            c.Error("tuning.preset.name", $"Preset \"{model.Name}\" does not support tuning");
        }

        if (tuning.Input is null)
        {
            c.Error("tuning.input", "Required value");
        }
        else
        {
            CheckInput(tuning.Input, c);
        }

        if (tuning.Output is null)
        {
            c.Error("tuning.output", "Required value");
        }
        else
        {
            CheckOutput(tuning.Output, c);
        }
    }

    private static void CheckInput(DataSource input, ValidationCollector c)
    {
        var sources = (input.Urls is { Count: > 0 } ? 1 : 0) + (string.IsNullOrEmpty(input.Image) ? 0 : 1) + (input.Volume is null ? 0 : 1);
        if (sources != 1)
        {
            c.Error("tuning.input", "Exactly one of URLs, Volume, or Image must be specified");
        }

        if (!string.IsNullOrEmpty(input.Image) && !ImageReference.IsValid(input.Image))
        {
            c.Error("tuning.input.image", $"Unable to parse input image reference: \"{input.Image}\" must look like <registry>/<repository>:<tag>");
        }

        foreach (var (url, i) in (input.Urls ?? []).Select((u, i) => (u, i)))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                c.Error($"tuning.input.urls[{i}]", $"Invalid value: \"{url}\": must be an http or https URL");
            }
        }
    }

    private static void CheckOutput(DataDestination output, ValidationCollector c)
    {
        var destinations = (string.IsNullOrEmpty(output.Image) ? 0 : 1) + (output.Volume is null ? 0 : 1);
        if (destinations != 1)
        {
            c.Error("tuning.output", "Exactly one of Volume or Image must be specified");
        }

        if (string.IsNullOrEmpty(output.Image))
        {
            return;
        }

        if (!ImageReference.IsValid(output.Image))
        {
            c.Error("tuning.output.image", $"Unable to parse output image reference: \"{output.Image}\" must look like <registry>/<repository>:<tag>");
        }

        if (string.IsNullOrEmpty(output.ImagePushSecret))
        {
            c.Error("tuning.output.imagePushSecret", "Must specify imagePushSecret with destination image");
        }
    }
}
