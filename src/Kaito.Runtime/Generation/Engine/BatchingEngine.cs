using System.Collections.Concurrent;
using System.Diagnostics;
using Kaito.Runtime.Metrics;

namespace Kaito.Runtime.Generation.Engine;

/// <summary>
/// Runs requests through GenAI's Engine on one dedicated owner thread fed by a queue: every engine call (create,
/// begin, run, close) happens on that thread, as GenAI requires. At most <see cref="BatchingPlan.MaxBatchSize"/>
/// requests are in the engine at once; the rest wait here in arrival order. A failed engine step fails every request
/// in the engine and the engine is rebuilt, so the next request is served again. A cancelled request (the client went
/// away) is closed in the engine, which frees its row.
/// </summary>
public sealed partial class BatchingEngine : IDisposable
{
    private readonly LoadedModel _model;
    private readonly RuntimeMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<(EngineGeneration Generation, bool Cancel)> _commands = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Queue<EngineGeneration> _waiting = new();
    private readonly Dictionary<nint, EngineGeneration> _rows = [];
    private readonly List<EngineEvent> _events = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Thread _thread;
    private readonly TimeSpan _gatherWindow;
    private NativeEngine? _engine;
    private volatile bool _stopping;
    private volatile bool _broken;
    private int _rowCount;
    private int _waitingCount;

    public BatchingEngine(LoadedModel model, BatchingPlan plan, RuntimeMetrics metrics, ILogger logger, TimeSpan gatherWindow = default)
    {
        _gatherWindow = plan.Mode == BatchingMode.Static ? gatherWindow : TimeSpan.Zero;
        _model = model;
        _metrics = metrics;
        _logger = logger;
        Plan = plan;
        _thread = new Thread(Loop) { IsBackground = true, Name = "Kaito batching engine" };
        _thread.Start();
    }

    public BatchingPlan Plan { get; }

    /// <summary>Completes once the engine exists on its thread; faults when GenAI could not create it.</summary>
    public Task Started => _started.Task;

    /// <summary>Requests in the engine now (the rows of the running batch, and those queued inside the engine).</summary>
    public int Rows => Volatile.Read(ref _rowCount);

    /// <summary>Requests submitted and waiting for a row.</summary>
    public int Waiting => Volatile.Read(ref _waitingCount);

    /// <summary>False once the engine could not be created or rebuilt; requests then take the Generator path.</summary>
    public bool IsServing => !_broken && !_stopping;

    /// <summary>How many times a failed engine step made the engine be rebuilt.</summary>
    public int Rebuilds { get; private set; }

    /// <summary>Test seam: called on the owner thread before each engine step; an exception it returns fails the step.</summary>
    internal Func<Exception?>? StepFault { get; set; }

    public GenerationStream Start(GenerationRequest request, CancellationToken cancellationToken)
    {
        var generation = new EngineGeneration(request, _metrics);
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        generation.Cancellation = cancellation.Token.Register(() =>
        {
            generation.CancelRequested = true;
            Post(generation, cancel: true);
        });
        Interlocked.Increment(ref _waitingCount);
        Post(generation, cancel: false);
        return new GenerationStream(generation.Pipe, generation.Finished, cancellation);
    }

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        _signal.Release();
        _thread.Join();
    }

    private void Post(EngineGeneration generation, bool cancel)
    {
        _commands.Enqueue((generation, cancel));
        _signal.Release();
    }

    private void Loop()
    {
        try
        {
            _engine = new NativeEngine(ModelHandleAccessor.GetHandle(_model.Model));
            _started.TrySetResult();
        }
        catch (Exception error)
        {
            _broken = true;
            _started.TrySetException(error);
            FailEverything(error);
            return;
        }

        while (true)
        {
            TakeCommands();
            if (_stopping || _broken)
            {
                break;
            }

            Gather();
            Admit();
            if (_rows.Count == 0)
            {
                _signal.Wait();
                continue;
            }

            Step();
        }

        FailEverything(_broken ? new EngineException("The batching engine could not be rebuilt.") : new OperationCanceledException("The server is shutting down."));
        _engine?.Dispose();
        while (_broken && !_stopping)
        {
            // Requests that raced the failure still get an answer; new ones take the Generator path (IsServing).
            _signal.Wait();
            FailEverything(new EngineException("The batching engine could not be rebuilt."));
        }
    }

    private void TakeCommands()
    {
        while (_commands.TryDequeue(out var command))
        {
            var generation = command.Generation;
            if (!command.Cancel)
            {
                _waiting.Enqueue(generation);
                continue;
            }

            if (generation.Handle is { } handle && _rows.Remove(handle.DangerousGetHandle()))
            {
                Interlocked.Decrement(ref _rowCount);
                Close(handle);
            }

            generation.Fail(new OperationCanceledException("The request was cancelled."));
        }
    }

    /// <summary>
    /// Static batching: an idle engine given fewer requests than a batch holds waits up to the gather window for more,
    /// so that a burst fills its first batch instead of running its first request alone (a running static batch
    /// admits nobody until all its rows finish).
    /// </summary>
    private void Gather()
    {
        if (_gatherWindow <= TimeSpan.Zero || _rows.Count > 0 || _waiting.Count == 0)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        while (!_stopping && _waiting.Count < Plan.MaxBatchSize)
        {
            var left = _gatherWindow - Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            _signal.Wait(left);
            TakeCommands();
        }
    }

    private void Admit()
    {
        while (_rows.Count < Plan.MaxBatchSize && _waiting.TryDequeue(out var generation))
        {
            Interlocked.Decrement(ref _waitingCount);
            if (generation.CancelRequested || generation.IsDone)
            {
                generation.Fail(new OperationCanceledException("The request was cancelled."));
                continue;
            }

            try
            {
                var handle = _engine!.Begin(generation.Request.PromptTokens, generation.Request.MaxNewTokens, generation.Request.Sampling);
                generation.Admitted(handle, _model.Tokenizer);
                _rows.Add(handle.DangerousGetHandle(), generation);
                Interlocked.Increment(ref _rowCount);
            }
            catch (EngineException error)
            {
                LogRequestRefused(error);
                generation.Fail(error);
            }
        }
    }

    private void Step()
    {
        _events.Clear();
        try
        {
            if (StepFault?.Invoke() is { } fault)
            {
                throw fault;
            }

            _engine!.Run(_events);
        }
        catch (Exception error)
        {
            Rebuild(error);
            return;
        }

        if (_events.Count == 0 && !_engine.HasPendingRequests)
        {
            // Nothing to do until a request arrives or leaves; do not spin.
            _signal.Wait(TimeSpan.FromMilliseconds(1));
            return;
        }

        foreach (var engineEvent in _events)
        {
            if (!_rows.TryGetValue(engineEvent.Request, out var generation))
            {
                continue;
            }

            var over = false;
            if (engineEvent.HasToken && Array.IndexOf(_model.EosTokenIds, engineEvent.Token) < 0)
            {
                over = generation.OnToken(engineEvent.Token);
            }

            if (engineEvent.Failed)
            {
                generation.Fail(new EngineException($"The engine failed the request (error code {engineEvent.ErrorCode})."));
                over = true;
            }
            else if (engineEvent.TurnFinished)
            {
                generation.Complete(engineEvent.FinishReason is EngineEvent.FinishedByEos or EngineEvent.FinishedByStopString
                    ? FinishReason.Stop
                    : FinishReason.Length);
                over = true;
            }

            if (over)
            {
                _rows.Remove(engineEvent.Request);
                Interlocked.Decrement(ref _rowCount);
                Close(generation.Handle!);
            }
        }
    }

    /// <summary>An engine step failed: the engine may be unhealthy, so fail its requests and start a fresh one.</summary>
    private void Rebuild(Exception error)
    {
        LogStepFailed(error, _rows.Count);
        var failure = new EngineException($"The batching engine failed: {error.Message}", error);
        foreach (var generation in _rows.Values)
        {
            generation.Fail(failure);
            generation.Handle!.Dispose();
        }

        _rows.Clear();
        Volatile.Write(ref _rowCount, 0);
        _engine!.Dispose();
        _engine = null;
        try
        {
            _engine = new NativeEngine(ModelHandleAccessor.GetHandle(_model.Model));
            Rebuilds++;
        }
        catch (EngineException rebuildError)
        {
            LogRebuildFailed(rebuildError);
            _broken = true;
        }
    }

    private void Close(EngineRequestHandle handle)
    {
        try
        {
            NativeEngine.Close(handle);
        }
        catch (EngineException error)
        {
            LogCloseFailed(error);
        }
    }

    private void FailEverything(Exception error)
    {
        TakeCommands();
        foreach (var generation in _rows.Values.Concat(_waiting))
        {
            generation.Fail(error);
            generation.Handle?.Dispose();
        }

        _rows.Clear();
        _waiting.Clear();
        Volatile.Write(ref _rowCount, 0);
        Volatile.Write(ref _waitingCount, 0);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A batching engine step failed; failing its {Rows} request(s) and rebuilding the engine")]
    private partial void LogStepFailed(Exception error, int rows);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The batching engine could not be rebuilt; every request now takes the Generator path")]
    private partial void LogRebuildFailed(Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The batching engine refused a request")]
    private partial void LogRequestRefused(Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing a request in the batching engine failed")]
    private partial void LogCloseFailed(Exception error);
}
