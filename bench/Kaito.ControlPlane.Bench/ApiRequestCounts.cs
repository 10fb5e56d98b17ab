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

    public static Dictionary<string, double> Delta(Dictionary<string, double> before, Dictionary<string, double> after) =>
        after.Select(kv => (kv.Key, Value: kv.Value - before.GetValueOrDefault(kv.Key)))
            .Where(kv => kv.Value > 0)
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    public static bool IsWrite(string key) => key.Split(' ')[0] is "CREATE" or "UPDATE" or "PATCH" or "APPLY" or "DELETE" or "DELETECOLLECTION";

    [GeneratedRegex("""(\w+)="([^"]*)"?""")]
    private static partial Regex Label();
}
