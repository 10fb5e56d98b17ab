namespace Kaito.Runtime.Serving;

/// <summary>A generation slot; disposing it (once) frees the slot for the next queued request.</summary>
public sealed class GenerationLease : IDisposable
{
    private GenerationScheduler? _scheduler;

    internal GenerationLease(GenerationScheduler scheduler) => _scheduler = scheduler;

    public void Dispose() => Interlocked.Exchange(ref _scheduler, null)?.Release();
}
