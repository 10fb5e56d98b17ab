using System.Globalization;
using System.Text.RegularExpressions;

namespace Kaito.Api.Catalog;

/// <summary>Durations as Kubernetes manifests write them: <c>90s</c>, <c>30m</c>, <c>1h30m</c>.</summary>
public static partial class GoDuration
{
    [GeneratedRegex("^(?:([0-9]+(?:\\.[0-9]+)?)(h|m|s|ms))+$")]
    private static partial Regex Pattern();

    [GeneratedRegex("([0-9]+(?:\\.[0-9]+)?)(h|ms|m|s)")]
    private static partial Regex Part();

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (!Pattern().IsMatch(text))
        {
            return false;
        }

        foreach (Match m in Part().Matches(text))
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            duration += m.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(n),
                "m" => TimeSpan.FromMinutes(n),
                "s" => TimeSpan.FromSeconds(n),
                _ => TimeSpan.FromMilliseconds(n),
            };
        }

        return true;
    }

    public static string Format(TimeSpan duration) =>
        duration.TotalHours >= 1 && duration.Minutes == 0 && duration.Seconds == 0 ? $"{(int)duration.TotalHours}h"
        : duration.Seconds == 0 ? $"{(int)duration.TotalMinutes}m"
        : $"{(int)duration.TotalSeconds}s";
}
