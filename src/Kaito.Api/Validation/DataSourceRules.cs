using Kaito.Api.V1Alpha1;

namespace Kaito.Api.Validation;

/// <summary>What upstream checks of every <see cref="DataSource"/>, adapter source and tuning input alike.</summary>
internal static class DataSourceRules
{
    public const string ExactlyOneSource = "Exactly one of URLs, Volume, or Image must be specified";

    public static int CountSources(DataSource source) =>
        (source.Urls is { Count: > 0 } ? 1 : 0) + (string.IsNullOrEmpty(source.Image) ? 0 : 1) + (source.Volume is null ? 0 : 1);
}
