using System.Diagnostics;
using Kaito.Runtime.Adapters;
using Kaito.Runtime.Metrics;
using Kaito.Runtime.Serving;
using Microsoft.Extensions.Options;

namespace Kaito.Runtime.Generation;

/// <summary>
/// Owns the model for the life of the server: loads it (and the LoRA adapters) in the background at start, so
/// /healthz can answer 500 until it is ready, and on shutdown waits for in-flight generations before freeing it.
/// </summary>
public sealed partial class ModelHost(
    IOptions<RuntimeOptions> options,
    ModelLoader loader,
    AdapterCatalog adapters,
    GenerationScheduler scheduler,
    RuntimeMetrics metrics,
    IHostApplicationLifetime lifetime,
    ILogger<ModelHost> logger) : IHostedService, IDisposable
{
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LoadedModel? _model;
    private double _loadSeconds;

    public LoadedModel? Model => _model;

    public GenerationLoop? Loop { get; private set; }

    public bool IsReady => Loop is not null;

    /// <summary>Completes when the model is loaded; faults when loading failed.</summary>
    public Task WhenLoaded => _loaded.Task;

    public string ModelId { get; } = options.Value.ModelName
        ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.Value.ModelDirectory)));

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Each running generation holds a pool thread in native code; keep enough threads for requests besides them.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, options.Value.MaxConcurrentGenerations + (2 * Environment.ProcessorCount)), io);
        metrics.AddGauge("kaito_runtime_model_load_seconds", "Seconds it took to load the model and its adapters.", () => _loadSeconds);
        // Stop admitting as soon as shutdown begins: Kestrel drains in-flight requests before hosted services stop.
        lifetime.ApplicationStopping.Register(() => scheduler.DrainAsync());
        _ = Task.Run(Load, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var drain = scheduler.DrainAsync();
        if (!drain.IsCompleted)
        {
            LogDraining(scheduler.Active, scheduler.QueueDepth);
            try
            {
                await drain.WaitAsync(options.Value.DrainTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                LogDrainTimedOut(options.Value.DrainTimeout, scheduler.Active);
            }
        }
    }

    public void Dispose()
    {
        if (scheduler.Active == 0)
        {
            _model?.Dispose();
        }
    }

    private void Load()
    {
        var started = Stopwatch.GetTimestamp();
        var directory = options.Value.ModelDirectory;
        try
        {
            var model = loader.Load(directory, options.Value.ExecutionProvider, options.Value.IntraOpThreads);
            adapters.Load(model);
            _model = model;
            _loadSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            Loop = new GenerationLoop(model, metrics);
            LogLoaded(ModelId, directory, _loadSeconds, model.ExecutionProvider, adapters.Names.Count);
            _loaded.TrySetResult();
        }
        catch (Exception error)
        {
            LogLoadFailed(error, directory);
            _loaded.TrySetException(error);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {ModelId} loaded from {Directory} in {Seconds:F3} s on {Provider} with {AdapterCount} adapter(s)")]
    private partial void LogLoaded(string modelId, string directory, double seconds, string provider, int adapterCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Loading the model from {Directory} failed")]
    private partial void LogLoadFailed(Exception error, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Draining gave up after {Timeout}; {Active} generation(s) still running")]
    private partial void LogDrainTimedOut(TimeSpan timeout, int active);

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: {Active} generation(s) running, {Queued} queued")]
    private partial void LogDraining(int active, int queued);
}
