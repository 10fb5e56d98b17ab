using System.Diagnostics;
using Kaito.Runtime.Adapters;
using Kaito.Runtime.Lifecycle;
using Kaito.Runtime.Metrics;
using Kaito.Runtime.Serving;
using Microsoft.Extensions.Options;

namespace Kaito.Runtime.Generation;

/// <summary>
/// Owns the model for the life of the server: loads it (and the LoRA adapters) in the background at start, so
/// /healthz can answer 500 until it is ready, and on shutdown waits for in-flight generations before freeing it.
/// A model or adapter that fails to load stops the server: the reason goes to the log and to the termination-message
/// file, and <see cref="Failure"/> makes the process exit non-zero (see <see cref="RuntimeApplication.RunAsync"/>).
/// </summary>
public sealed partial class ModelHost(
    IOptions<RuntimeOptions> options,
    ModelLoader loader,
    AdapterCatalog adapters,
    GenerationScheduler scheduler,
    RuntimeMetrics metrics,
    IHostApplicationLifetime lifetime,
    ILogger<ModelHost> logger) : IHostedLifecycleService, IDisposable
{
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LoadedModel? _model;
    private double _loadSeconds;

    public LoadedModel? Model => _model;

    public GenerationLoop? Loop { get; private set; }

    public bool IsReady => Loop is not null;

    /// <summary>Ready and not draining: what /healthz reports, so the pod leaves the Service's endpoints on shutdown.</summary>
    public bool IsServing => IsReady && !scheduler.IsDraining;

    /// <summary>Why loading failed (the server then stops), or null.</summary>
    public string? Failure { get; private set; }

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
        // Stop admitting as soon as shutdown begins.
        lifetime.ApplicationStopping.Register(() => scheduler.DrainAsync());
        _ = Task.Run(Load, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Drains before any hosted service stops, so Kestrel still listens meanwhile: a request that arrives now gets 503
    /// with Retry-After (and /healthz 503, so the endpoint is removed) instead of a refused connection, while the
    /// generations in flight finish. Bounded by DrainTimeout; the host's own limit is DrainTimeout + ShutdownMargin.
    /// </summary>
    public Task StoppingAsync(CancellationToken cancellationToken) => DrainAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => DrainAsync(cancellationToken);

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task DrainAsync(CancellationToken cancellationToken)
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
            var model = loader.Load(directory, options.Value.ExecutionProvider, options.Value.IntraOpThreads, options.Value.AllowCpuFallback);
            try
            {
                adapters.Load(model);
            }
            catch
            {
                model.Dispose();
                throw;
            }

            _model = model;
            _loadSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            Loop = new GenerationLoop(model, metrics);
            LogLoaded(ModelId, directory, _loadSeconds, model.ExecutionProvider, adapters.Names.Count);
            _loaded.TrySetResult();
        }
        catch (Exception error)
        {
            Failure = error is AdapterLoadException ? error.Message : $"Model {ModelId} ({directory}) cannot be loaded: {error.Message}";
            LogLoadFailed(error, Failure);
            WriteTerminationMessage(Failure);
            _loaded.TrySetException(error);

            // Stopping while the host is still starting would cancel its start (an exception, not a clean exit 1).
            lifetime.ApplicationStarted.Register(lifetime.StopApplication);
        }
    }

    private void WriteTerminationMessage(string reason)
    {
        var path = options.Value.TerminationMessagePath;
        try
        {
            if (!TerminationMessage.Write(path, reason))
            {
                LogNoTerminationFile(path);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            LogTerminationFileFailed(path, error.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {ModelId} loaded from {Directory} in {Seconds:F3} s on {Provider} with {AdapterCount} adapter(s)")]
    private partial void LogLoaded(string modelId, string directory, double seconds, string provider, int adapterCount);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Start-up failed, stopping: {Reason}")]
    private partial void LogLoadFailed(Exception error, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No termination-message file written: the folder of {Path} does not exist")]
    private partial void LogNoTerminationFile(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The termination-message file {Path} cannot be written: {Reason}")]
    private partial void LogTerminationFileFailed(string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Draining gave up after {Timeout}; {Active} generation(s) still running")]
    private partial void LogDrainTimedOut(TimeSpan timeout, int active);

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: {Active} generation(s) running, {Queued} queued")]
    private partial void LogDraining(int active, int queued);
}
