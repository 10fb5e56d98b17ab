using System.Globalization;
using System.Text.RegularExpressions;

namespace Kaito.Runtime.Tests.Support;

/// <summary>Reads /metrics as Prometheus does, and one series' value from it.</summary>
public static class Scrape
{
    public static async Task<string> MetricsAsync(RuntimeServer server)
    {
        using var response = await server.Client.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The value of one series, named with its labels as exposed (an unlabelled one may be written <c>name{}</c>); 0 when absent.</summary>
    public static double Value(string text, string series)
    {
        var pattern = "^" + Regex.Escape(series) + (series.EndsWith('}') ? string.Empty : "(?:\\{\\})?") + " (\\S+)$";
        var match = Regex.Match(text, pattern, RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }
}
