using System.Diagnostics.Metrics;

namespace Kaito.Runtime.Generation.Engine;

/// <summary>
/// The batching instruments on the "Kaito.Runtime" <see cref="Meter"/> (the /metrics exporter publishes that meter):
/// the mode and batch size chosen at start, the rows in the engine and the requests waiting for one, and the requests
/// that took the Generator path, by reason.
/// </summary>
public sealed class BatchingMetrics
{
    public const string MeterName = "Kaito.Runtime";

    private readonly Counter<long> _generatorPath;

    public BatchingMetrics(IMeterFactory meters, BatchingEngineHost host)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge(
            "kaito_runtime_batch_max_size",
            () => Measure(host, plan => plan.MaxBatchSize),
            description: "The most requests the batching engine runs at once; the mode tag is dynamic, static or off.");
        meter.CreateObservableGauge(
            "kaito_runtime_batch_rows",
            () => Measure(host, _ => host.Engine?.Rows ?? 0),
            description: "Requests in the batching engine now.");
        meter.CreateObservableGauge(
            "kaito_runtime_batch_waiting",
            () => Measure(host, _ => host.Engine?.Waiting ?? 0),
            description: "Requests waiting for a row of the batching engine.");
        _generatorPath = meter.CreateCounter<long>(
            "kaito_runtime_generator_path_requests",
            description: "Requests that took the Generator path instead of the batching engine, by reason.");
    }

    /// <summary>Counts a request sent to the Generator path; the tag is the reason up to its first colon ("adapter", "seed", ...).</summary>
    public void CountGeneratorPath(string reason)
    {
        var colon = reason.IndexOf(':', StringComparison.Ordinal);
        _generatorPath.Add(1, new KeyValuePair<string, object?>("reason", colon > 0 ? reason[..colon] : reason));
    }

    private static Measurement<int>[] Measure(BatchingEngineHost host, Func<BatchingPlan, int> read) =>
        host.Plan is { } plan
            ? [new Measurement<int>(read(plan), new KeyValuePair<string, object?>("mode", plan.Mode.ToString().ToLowerInvariant()))]
            : [];
}
