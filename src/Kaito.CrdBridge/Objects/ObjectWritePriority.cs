using System.Diagnostics;

namespace Kaito.CrdBridge.Objects;

/// <summary>
/// Puts best-effort writes (Kubernetes Events) behind the writes a workspace waits for (its ControllerRevision,
/// Service and workload): <see cref="KubernetesObjectPort"/> marks each apply as foreground, and a background writer
/// waits for its turn until no apply has run for <see cref="Quiet"/> (200 ms), or until its write has waited
/// <see cref="MaxDelay"/> (10 s), so that a burst of workspaces gets its objects first and its Events just after, never starved.
/// </summary>
public sealed class ObjectWritePriority(TimeSpan quiet, TimeSpan maxDelay)
{
    /// <summary>How long no apply must have run before a background write goes, by default.</summary>
    public static readonly TimeSpan DefaultQuiet = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest a background write waits for its turn, by default.</summary>
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private int _inFlight;

    public ObjectWritePriority()
        : this(DefaultQuiet, DefaultMaxDelay)
    {
    }

    public TimeSpan Quiet => quiet;

    public TimeSpan MaxDelay => maxDelay;

    private long _lastEnded;

    /// <summary>Marks a foreground write until the returned scope is disposed.</summary>
    public Foreground BeginForeground()
    {
        Interlocked.Increment(ref _inFlight);
        return new Foreground(this);
    }

    /// <summary>Completes when a background write queued at <paramref name="queuedAt"/> (a <see cref="Stopwatch"/> timestamp) may go.</summary>
    public async Task WaitForTurnAsync(long queuedAt, CancellationToken cancellationToken)
    {
        while (Stopwatch.GetElapsedTime(queuedAt) < maxDelay
            && (Volatile.Read(ref _inFlight) > 0 || Stopwatch.GetElapsedTime(Volatile.Read(ref _lastEnded)) < quiet))
        {
            await Task.Delay(Poll, cancellationToken);
        }
    }

    private void End()
    {
        Volatile.Write(ref _lastEnded, Stopwatch.GetTimestamp());
        Interlocked.Decrement(ref _inFlight);
    }

    /// <summary>One foreground write in flight.</summary>
    public readonly struct Foreground(ObjectWritePriority owner) : IDisposable
    {
        public void Dispose() => owner.End();
    }
}
