using System.Globalization;
using System.Text.RegularExpressions;
using Kaito.Silo.Operations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Kaito.Silo.Tests.Operations;

/// <summary>One scrape of a silo's <c>/metrics</c> (Prometheus text format), with the samples by name and labels.</summary>
public sealed partial class PrometheusScrape
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    private PrometheusScrape(string text)
    {
        Text = text;
        foreach (Match m in Sample().Matches(text))
        {
            var labels = Label().Matches(m.Groups["labels"].Value).ToDictionary(l => l.Groups["k"].Value, l => l.Groups["v"].Value);
            _samples.Add((m.Groups["name"].Value, labels, double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }
    }

    public string Text { get; }

    public static Uri OperationsUrl(IHost silo)
    {
        var options = silo.Services.GetRequiredService<IOptions<OperationsOptions>>().Value;
        return new Uri($"http://{options.Host}:{options.Port}");
    }

    public static async Task<PrometheusScrape> GetAsync(IHost silo)
    {
        using var http = new HttpClient { BaseAddress = OperationsUrl(silo) };
        return new PrometheusScrape(await http.GetStringAsync("/metrics"));
    }

    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include every one of <paramref name="labels"/> (0 when none).</summary>
    public double Sum(string name, params (string Key, string Value)[] labels) => _samples
        .Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
        .Sum(s => s.Value);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})?\s+(?<value>[^\s]+)", RegexOptions.Multiline)]
    private static partial Regex Sample();

    [GeneratedRegex("(?<k>[a-zA-Z_][a-zA-Z0-9_]*)=\"(?<v>(?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex Label();
}
