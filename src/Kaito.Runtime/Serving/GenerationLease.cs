namespace Kaito.Runtime.Serving;

/// <summary>
/// A generation slot and its KV cache reservation; disposing it (once) gives both back, which may start the next
/// queued request.
/// </summary>
public sealed class GenerationLease : IDisposable
{
    private GenerationScheduler? _scheduler;

    internal GenerationLease(GenerationScheduler scheduler, long tokens)
    {
        _scheduler = scheduler;
        Tokens = tokens;
    }

    /// <summary>KV cache tokens reserved: the request's prompt plus its max new tokens.</summary>
    public long Tokens { get; }

    public void Dispose() => Interlocked.Exchange(ref _scheduler, null)?.Release(Tokens);
}
