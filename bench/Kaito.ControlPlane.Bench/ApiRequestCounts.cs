using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using k8s;

namespace Kaito.ControlPlane.Bench;

/// <summary>
/// The API server's own count of requests (<c>apiserver_request_total</c> from <c>/metrics</c>), summed by verb,
/// resource and subresource: every client together (the bench, the silo, the controllers, the simulator).
/// </summary>
internal sealed partial class ApiRequestCounts(Kubernetes client, string? token)
{
    public async Task<Dictionary<string, double>> ReadAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.BaseUri, "metrics"));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.HttpClient.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var counts = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in (await response.Content.ReadAsStringAsync()).Split('\n'))
        {
            if (!line.StartsWith("apiserver_request_total{", StringComparison.Ordinal))
            {
                continue;
            }

            var labels = Label().Matches(line).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            var key = $"{labels.GetValueOrDefault("verb")} {labels.GetValueOrDefault("resource")}"
                + (labels.GetValueOrDefault("subresource") is { Length: > 0 } sub ? "/" + sub : "");
            counts[key] = counts.GetValueOrDefault(key) + double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }

        return counts;
    }

    /// <summary>
    /// Polls every 500 ms until no request other than watches and leader-election leases moved for 2 s, or
    /// <paramref name="deadline"/> passed on <paramref name="clock"/>; returns the counts then and the clock's time
    /// when requests last moved.
    /// </summary>
    public async Task<(Dictionary<string, double> Counts, TimeSpan LastMoved)> WaitQuietAsync(System.Diagnostics.Stopwatch clock, TimeSpan deadline)
    {
        var last = await ReadAsync();
        var lastMoved = clock.Elapsed;
        for (var still = 0; still < 4 && clock.Elapsed < deadline;)
        {
            await Task.Delay(500);
            var now = await ReadAsync();
            var moved = Delta(last, now).Keys.Any(k => !k.StartsWith("WATCH", StringComparison.Ordinal) && !k.EndsWith(' ') && !k.EndsWith(" leases", StringComparison.Ordinal));
            still = moved ? 0 : still + 1;
            lastMoved = moved ? clock.Elapsed : lastMoved;
            last = now;
        }

        return (last, lastMoved);
    }

    public static Dictionary<string, double> Delta(Dictionary<string, double> before, Dictionary<string, double> after) =>
        after.Select(kv => (kv.Key, Value: kv.Value - before.GetValueOrDefault(kv.Key)))
            .Where(kv => kv.Value > 0)
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    public static bool IsWrite(string key) => key.Split(' ')[0] is "CREATE" or "UPDATE" or "PATCH" or "APPLY" or "DELETE" or "DELETECOLLECTION";

    [GeneratedRegex("""(\w+)="([^"]*)"?""")]
    private static partial Regex Label();
}
