using System.Diagnostics;
using Kaito.Runtime.Metrics;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace Kaito.Runtime.Generation.Engine;

/// <summary>
/// One request on the batching engine, touched only by the engine's owner thread once submitted: it turns the
/// engine's token events into text (stop sequences, metrics) for the endpoint, as <see cref="GenerationLoop"/> does
/// for the Generator path, and ends the request's stream exactly once.
/// </summary>
internal sealed class EngineGeneration(GenerationRequest request, RuntimeMetrics metrics)
{
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StopSequenceMatcher _stops = new(request.Stop);
    private TokenizerStream? _decoder;
    private long _last = request.ReceivedAt;
    private int _generated;

    public GenerationRequest Request { get; } = request;

    public ChunkPipe Pipe { get; } = new();

    /// <summary>Completes once the request has left the engine (finished, failed or cancelled).</summary>
    public Task Finished => _finished.Task;

    public EngineRequestHandle? Handle { get; private set; }

    public CancellationTokenRegistration Cancellation { get; set; }

    public bool IsDone => _finished.Task.IsCompleted;

    /// <summary>Set (from any thread) when the caller cancelled; the owner thread removes the request.</summary>
    public volatile bool CancelRequested;

    public void Admitted(EngineRequestHandle handle, Tokenizer tokenizer)
    {
        Handle = handle;
        _decoder = tokenizer.CreateStream();
        metrics.AddPromptTokens(Request.PromptTokens.Length);
    }

    /// <summary>Takes one generated token; returns true when the generation is over (a stop sequence or max tokens).</summary>
    public bool OnToken(int token)
    {
        var now = Stopwatch.GetTimestamp();
        (_generated == 0 ? metrics.TimeToFirstToken : metrics.InterTokenLatency).Observe(Stopwatch.GetElapsedTime(_last, now).TotalSeconds);
        _last = now;
        _generated++;
        metrics.AddGeneratedTokens(1);
        var text = _stops.Push(_decoder!.Decode(token));
        if (text.Length > 0)
        {
            Pipe.Write(new GenerationChunk(text, null));
        }

        if (_stops.Stopped)
        {
            Complete(FinishReason.Stop);
            return true;
        }

        if (_generated >= Request.MaxNewTokens)
        {
            Complete(FinishReason.Length);
            return true;
        }

        return false;
    }

    public void Complete(FinishReason reason)
    {
        if (IsDone)
        {
            return;
        }

        var rest = _stops.Flush();
        if (rest.Length > 0)
        {
            Pipe.Write(new GenerationChunk(rest, null));
        }

        Pipe.Write(new GenerationChunk(string.Empty, new GenerationOutcome(Request.PromptTokens.Length, _generated, reason)));
        End(null);
    }

    /// <summary>Ends the stream with an error: the endpoint answers 500 (or the client is gone, for a cancellation).</summary>
    public void Fail(Exception error)
    {
        if (!IsDone)
        {
            End(error);
        }
    }

    private void End(Exception? error)
    {
        Pipe.Complete(error);
        _decoder?.Dispose();
        Cancellation.Dispose();
        _finished.TrySetResult();
    }
}
