using System.Text.Json;
using Kaito.Runtime.Metrics;
using Microsoft.Extensions.Options;

namespace Kaito.Runtime.Generation.Engine;

/// <summary>
/// Starts the batching engine once the model is loaded (the mode chosen from Runtime:Batching and the model's
/// genai_config.json, logged), and stops it after the server has drained.
/// </summary>
public sealed partial class BatchingEngineHost(
    ModelHost host,
    IOptions<RuntimeOptions> options,
    RuntimeMetrics metrics,
    ILoggerFactory loggers,
    ILogger<BatchingEngineHost> logger) : IHostedService, IDisposable
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The chosen plan; null until the model is loaded.</summary>
    public BatchingPlan? Plan { get; private set; }

    /// <summary>The running engine; null while the model loads, when batching is off, or when the engine failed to start.</summary>
    public BatchingEngine? Engine { get; private set; }

    /// <summary>Completes once the plan is chosen and the engine (if any) runs or has failed to start.</summary>
    public Task WhenReady => _ready.Task;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(StartEngineAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => Engine?.Dispose();

    private async Task StartEngineAsync()
    {
        try
        {
            await host.WhenLoaded.ConfigureAwait(false);
        }
        catch (Exception)
        {
            _ready.TrySetResult();
            return;
        }

        var value = options.Value;
        var requested = BatchingPlan.Parse(value.Batching) ?? BatchingMode.Auto;
        var plan = BatchingPlan.Choose(requested, value.MaxBatchSize, HasDynamicBatching(value.ModelDirectory));
        if (plan.Mode == BatchingMode.Off)
        {
            Plan = plan;
            LogBatching("off", 1, plan.Reason);
            _ready.TrySetResult();
            return;
        }

        var engine = new BatchingEngine(host.Model!, plan, metrics, loggers.CreateLogger<BatchingEngine>(), value.BatchGatherWindow);
        try
        {
            await engine.Started.ConfigureAwait(false);
            Engine = engine;
            Plan = plan;
            LogBatching(plan.Mode.ToString().ToLowerInvariant(), plan.MaxBatchSize, plan.Reason);
        }
        catch (Exception error)
        {
            engine.Dispose();
            Plan = new BatchingPlan(BatchingMode.Off, 1, $"the engine could not be created: {error.Message}");
            LogEngineFailed(error);
        }

        _ready.TrySetResult();
    }

    private static bool HasDynamicBatching(string directory)
    {
        using var config = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "genai_config.json")));
        return config.RootElement.TryGetProperty("engine", out var engine)
            && engine.ValueKind == JsonValueKind.Object
            && engine.TryGetProperty("dynamic_batching", out var dynamic)
            && dynamic.ValueKind == JsonValueKind.Object;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Batching across requests: {Mode}, max batch size {MaxBatchSize} ({Reason})")]
    private partial void LogBatching(string mode, int maxBatchSize, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The batching engine could not be created; every request takes the Generator path")]
    private partial void LogEngineFailed(Exception error);
}
