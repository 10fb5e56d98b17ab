using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Kaito.Runtime.Metrics;

/// <summary>
/// The server's Prometheus metrics. Counters and histograms are updated on the hot path without allocation; gauges
/// (queue depth, active generations, model load time) are read from their owners when /metrics is scraped.
/// </summary>
public sealed class RuntimeMetrics
{
    private static readonly double[] LatencyBounds =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly ConcurrentDictionary<(string Endpoint, int Status), long[]> _requests = new();
    private readonly List<(string Name, string Help, Func<double> Read)> _gauges = [];
    private long _promptTokens;
    private long _generatedTokens;

    public Histogram TimeToFirstToken { get; } = new(LatencyBounds);

    public Histogram InterTokenLatency { get; } = new(LatencyBounds);

    public long PromptTokens => Interlocked.Read(ref _promptTokens);

    public long GeneratedTokens => Interlocked.Read(ref _generatedTokens);

    public void RecordRequest(string endpoint, int status) =>
        Interlocked.Increment(ref _requests.GetOrAdd((endpoint, status), _ => new long[1])[0]);

    public long Requests(string endpoint, int status) =>
        _requests.TryGetValue((endpoint, status), out var count) ? Interlocked.Read(ref count[0]) : 0;

    public void AddPromptTokens(int count) => Interlocked.Add(ref _promptTokens, count);

    public void AddGeneratedTokens(int count) => Interlocked.Add(ref _generatedTokens, count);

    /// <summary>Registers a gauge whose value is read at scrape time.</summary>
    public void AddGauge(string name, string help, Func<double> read)
    {
        lock (_gauges)
        {
            _gauges.Add((name, help, read));
        }
    }

    public string ToPrometheusText()
    {
        var text = new StringBuilder();
        text.Append("# HELP kaito_runtime_requests_total HTTP requests by endpoint and status code.\n");
        text.Append("# TYPE kaito_runtime_requests_total counter\n");
        foreach (var ((endpoint, status), count) in _requests.OrderBy(r => r.Key.Endpoint, StringComparer.Ordinal).ThenBy(r => r.Key.Status))
        {
            text.Append(CultureInfo.InvariantCulture, $"kaito_runtime_requests_total{{endpoint=\"{endpoint}\",status=\"{status}\"}} {Interlocked.Read(ref count[0])}\n");
        }

        Counter(text, "kaito_runtime_prompt_tokens_total", "Prompt tokens processed.", PromptTokens);
        Counter(text, "kaito_runtime_generation_tokens_total", "Tokens generated.", GeneratedTokens);
        TimeToFirstToken.WriteTo(text, "kaito_runtime_time_to_first_token_seconds", "Time from request arrival to the first generated token.");
        InterTokenLatency.WriteTo(text, "kaito_runtime_inter_token_latency_seconds", "Time between consecutive generated tokens.");
        lock (_gauges)
        {
            foreach (var (name, help, read) in _gauges)
            {
                text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n{name} {read().ToString("R", CultureInfo.InvariantCulture)}\n");
            }
        }

        return text.ToString();
    }

    private static void Counter(StringBuilder text, string name, string help, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n");
}
