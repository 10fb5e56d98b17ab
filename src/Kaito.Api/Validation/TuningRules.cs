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
        if (DataSourceRules.CountSources(input) != 1)
        {
            c.Error("tuning.input", DataSourceRules.ExactlyOneSource);
        }

        if (!string.IsNullOrEmpty(input.Image))
        {
            CheckInputImage(input.Image, c);
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

        CheckOutputImage(output.Image, c);

        if (string.IsNullOrEmpty(output.ImagePushSecret))
        {
            c.Error("tuning.output.imagePushSecret", "Must specify imagePushSecret with destination image");
        }
    }

    // The grammar first (upstream's parser); then, as upstream v0.3.2 requires, a registry and a tag (or, for the
    // input, a digest): the tuning Job pulls and pushes these by their full name.
    private static void CheckInputImage(string image, ValidationCollector c)
    {
        if (ImageReference.TryParse(image, out var error) is not { } reference)
        {
            c.Error("tuning.input.image", $"Unable to parse input image reference: {error}");
        }
        else if (reference.Domain is null || reference is { Tag: null, Digest: null })
        {
            c.Error("tuning.input.image", "Invalid image format, require full input image URL");
        }
    }

    private static void CheckOutputImage(string image, ValidationCollector c)
    {
        if (ImageReference.TryParse(image, out var error) is not { } reference)
        {
            c.Error("tuning.output.image", $"Unable to parse output image reference: {error}");
        }
        else if (reference.Domain is null || reference.Tag is null)
        {
            c.Error("tuning.output.image", "Invalid image format, require full output image URL");
        }
        else if (reference.Digest is not null)
        {
            c.Error("tuning.output.image", "Invalid image format, an output image is pushed by tag and cannot name a digest");
        }
    }
}
