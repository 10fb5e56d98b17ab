using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kaito.Runtime.Tests.Support;

namespace Kaito.Runtime.Tests.Metrics;

public sealed partial class MetricsEndpointTests
{
    [Fact]
    public async Task Counters_and_histograms_move_with_requests_and_every_metric_is_exposed()
    {
        await using var server = await RuntimeServer.StartAsync();
        var before = await Scrape(server);
        using var response = await server.Client.PostAsJsonAsync("/chat", new { prompt = "abc", generate_kwargs = new { do_sample = false, max_length = 8 } });
        response.EnsureSuccessStatusCode();
        var after = await Scrape(server);

        Assert.Equal(Value(before, "kaito_runtime_prompt_tokens_total") + 3, Value(after, "kaito_runtime_prompt_tokens_total"));
        Assert.Equal(Value(before, "kaito_runtime_generation_tokens_total") + 5, Value(after, "kaito_runtime_generation_tokens_total"));
        Assert.Equal(1, Value(after, "kaito_runtime_requests_total{endpoint=\"/chat\",status=\"200\"}"));
        Assert.Equal(Value(before, "kaito_runtime_time_to_first_token_seconds_count") + 1, Value(after, "kaito_runtime_time_to_first_token_seconds_count"));
        Assert.Equal(Value(before, "kaito_runtime_inter_token_latency_seconds_count") + 4, Value(after, "kaito_runtime_inter_token_latency_seconds_count"));
        Assert.Equal(0, Value(after, "kaito_runtime_queue_depth"));
        Assert.Equal(0, Value(after, "kaito_runtime_active_generations"));
        Assert.True(Value(after, "kaito_runtime_model_load_seconds") > 0);
        Assert.Contains("kaito_runtime_time_to_first_token_seconds_bucket{le=\"+Inf\"}", after, StringComparison.Ordinal);
    }

    private static async Task<string> Scrape(RuntimeServer server)
    {
        using var response = await server.Client.GetAsync("/metrics");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    private static double Value(string text, string series)
    {
        var match = Regex.Match(text, "^" + Regex.Escape(series) + " (\\S+)$", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }
}
