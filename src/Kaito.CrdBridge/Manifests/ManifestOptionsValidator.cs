using Microsoft.Extensions.Options;

namespace Kaito.CrdBridge.Manifests;

/// <summary>Fails start-up naming the setting when an image or command of <see cref="ManifestOptions"/> is empty.</summary>
public sealed class ManifestOptionsValidator : IValidateOptions<ManifestOptions>
{
    public ValidateOptionsResult Validate(string? name, ManifestOptions options)
    {
        var failures = new List<string>();
        Require(options.Registry, nameof(options.Registry), failures);
        Require(options.DataDownloaderImage, nameof(options.DataDownloaderImage), failures);
        Require(options.ImagePusherImage, nameof(options.ImagePusherImage), failures);
        Require(options.AdapterBaseImage, nameof(options.AdapterBaseImage), failures);
        Require(options.TrainerCommand, nameof(options.TrainerCommand), failures);
        if (options.ImageTag is { } tag && (tag.Length == 0 || tag.Contains(':') || tag.Contains('/')))
        {
            failures.Add($"{ManifestOptions.SectionName}:{nameof(options.ImageTag)} must be a bare tag (no ':' or '/'), not '{tag}'");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Require(string? value, string setting, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{ManifestOptions.SectionName}:{setting} must not be empty");
        }
    }
}
