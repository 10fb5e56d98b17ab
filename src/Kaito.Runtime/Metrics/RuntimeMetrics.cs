using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace Kaito.Runtime.Metrics;

/// <summary>
/// The server's metrics: instruments of the <see cref="MeterName"/> meter, exported on /metrics by the OpenTelemetry
/// Prometheus exporter (<see cref="MetricsEndpoint"/>). Kaito's own names (<c>kaito_runtime_*</c>) sit next to the vLLM
/// names dashboards and KEDA scalers read (<c>vllm:*</c>, labelled <c>model_name</c> as vLLM does). Counters and
/// histograms are recorded on the hot path; gauges are read from their owners at scrape time.
/// </summary>
public sealed class RuntimeMetrics
{
    /// <summary>The meter every runtime instrument belongs to; /metrics exports all of its instruments.</summary>
    public const string MeterName = "Kaito.Runtime";

    /// <summary>
    /// The instrument-name prefix of vLLM's metrics. OpenTelemetry instrument names cannot hold ':', so they are
    /// created as <c>vllm.name</c> (exported as <c>vllm_name</c>) and /metrics renames them to <c>vllm:name</c>.
    /// </summary>
    public const string Vllm = "vllm.";

    private static readonly double[] LatencyBounds =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    // vLLM's buckets for these two histograms, so that dashboards built on them read the same.
    private static readonly double[] VllmFirstTokenBounds =
        [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0];

    private static readonly double[] VllmEndToEndBounds =
        [0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0];

    private readonly ConcurrentDictionary<(string Endpoint, int Status), long[]> _requests = new();
    private readonly KeyValuePair<string, object?>[] _model;
    private readonly Counter<long> _requestCounter;
    private readonly Counter<long> _promptCounter;
    private readonly Counter<long> _generationCounter;
    private readonly Counter<long> _vllmPromptCounter;
    private readonly Counter<long> _vllmGenerationCounter;
    private readonly Histogram<double> _vllmEndToEnd;
    private long _promptTokens;
    private long _generatedTokens;

    /// <summary>The server's metrics, on the DI container's meter (so that two servers in one process stay apart).</summary>
    public RuntimeMetrics(IMeterFactory meterFactory, IOptions<RuntimeOptions> options)
        : this(meterFactory.Create(MeterName), ServedModelName(options.Value))
    {
    }

    /// <summary>Metrics on a private meter that no /metrics exports (tests and tools that run the loop alone).</summary>
    public RuntimeMetrics()
        : this(new Meter(new MeterOptions(MeterName) { Scope = new object() }), "model")
    {
    }

    private RuntimeMetrics(Meter meter, string modelName)
    {
        Meter = meter;
        ModelName = modelName;
        _model = [new("model_name", modelName)];
        _requestCounter = meter.CreateCounter<long>("kaito_runtime_requests", description: "HTTP requests by endpoint and status code.");
        _promptCounter = meter.CreateCounter<long>("kaito_runtime_prompt_tokens", description: "Prompt tokens processed.");
        _generationCounter = meter.CreateCounter<long>("kaito_runtime_generation_tokens", description: "Tokens generated.");
        _vllmPromptCounter = meter.CreateCounter<long>(Vllm + "prompt_tokens", description: "Number of prefill tokens processed.");
        _vllmGenerationCounter = meter.CreateCounter<long>(Vllm + "generation_tokens", description: "Number of generation tokens processed.");
        TimeToFirstToken = new LatencyHistogram(
            (Seconds(meter, "kaito_runtime_time_to_first_token_seconds", "Time from request arrival to the first generated token.", LatencyBounds), []),
            (Seconds(meter, Vllm + "time_to_first_token_seconds", "Histogram of time to first token in seconds.", VllmFirstTokenBounds), _model));
        InterTokenLatency = new LatencyHistogram(
            (Seconds(meter, "kaito_runtime_inter_token_latency_seconds", "Time between consecutive generated tokens.", LatencyBounds), []));
        _vllmEndToEnd = Seconds(meter, Vllm + "e2e_request_latency_seconds", "Histogram of end to end request latency in seconds.", VllmEndToEndBounds);
    }

    /// <summary>The <see cref="MeterName"/> meter; add instruments to it and /metrics exports them.</summary>
    public Meter Meter { get; }

    /// <summary>The <c>model_name</c> label of the vLLM metrics: the served model's id.</summary>
    public string ModelName { get; }

    public LatencyHistogram TimeToFirstToken { get; }

    public LatencyHistogram InterTokenLatency { get; }

    public long PromptTokens => Interlocked.Read(ref _promptTokens);

    public long GeneratedTokens => Interlocked.Read(ref _generatedTokens);

    public void RecordRequest(string endpoint, int status)
    {
        Interlocked.Increment(ref _requests.GetOrAdd((endpoint, status), _ => new long[1])[0]);
        _requestCounter.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("status", status.ToString(CultureInfo.InvariantCulture)));
    }

    public long Requests(string endpoint, int status) =>
        _requests.TryGetValue((endpoint, status), out var count) ? Interlocked.Read(ref count[0]) : 0;

    public void AddPromptTokens(int count)
    {
        Interlocked.Add(ref _promptTokens, count);
        _promptCounter.Add(count);
        _vllmPromptCounter.Add(count, _model);
    }

    public void AddGeneratedTokens(int count)
    {
        Interlocked.Add(ref _generatedTokens, count);
        _generationCounter.Add(count);
        _vllmGenerationCounter.Add(count, _model);
    }

    /// <summary>A request's whole latency: from its arrival to the end of its generation (Stopwatch timestamps).</summary>
    public void RecordEndToEnd(long receivedAt, long ended) =>
        _vllmEndToEnd.Record(Stopwatch.GetElapsedTime(receivedAt, ended).TotalSeconds, _model);

    /// <summary>Registers a gauge whose value is read at scrape time.</summary>
    public void AddGauge(string name, string help, Func<double> read) =>
        Meter.CreateObservableGauge(name, read, description: help);

    /// <summary>Registers a gauge read at scrape time and labelled <c>model_name</c> (the vLLM metrics).</summary>
    public void AddModelGauge(string name, string help, Func<double> read) =>
        Meter.CreateObservableGauge(name, () => new Measurement<double>(read(), _model), description: help);

    private static Histogram<double> Seconds(Meter meter, string name, string help, double[] bounds) =>
        meter.CreateHistogram(name, "s", help, tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = bounds });

    /// <summary>The model's id as /v1/models reports it: ModelName, else the model folder's name.</summary>
    private static string ServedModelName(RuntimeOptions options) =>
        options.ModelName ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.ModelDirectory)));
}
