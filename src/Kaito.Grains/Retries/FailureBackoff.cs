using Kaito.Grains.EventLog;

namespace Kaito.Grains.Retries;

/// <summary>
/// Consecutive failures of one in-memory retry path (a reconcile pass, a status publish): how many, and not before
/// when the next try runs. Kept in memory, not in the log, so that a port that is down for an hour does not write an
/// event every few seconds; the count shows in the grain's view.
/// </summary>
public sealed class FailureBackoff(TimeSpan baseDelay, TimeSpan cap, double jitterRatio)
{
    public int Failures { get; private set; }

    public DateTimeOffset? NotBefore { get; private set; }

    /// <summary>Counts a failure and returns the delay before the next try.</summary>
    public TimeSpan RecordFailure(DateTimeOffset now, double unitRandom)
    {
        Failures++;
        var delay = RetryBackoff.Delay(Failures, baseDelay, cap, jitterRatio, unitRandom);
        NotBefore = now + delay;
        return delay;
    }

    /// <returns>True when this success ended a run of failures.</returns>
    public bool RecordSuccess()
    {
        var recovered = Failures > 0;
        Failures = 0;
        NotBefore = null;
        return recovered;
    }

    public bool IsBackingOff(DateTimeOffset now) => NotBefore is { } at && now < at;

    /// <summary>
    /// Runs one reconcile pass and counts its outcome. A tick of the grain's own driver inside the backoff is skipped
    /// (a poke from outside still runs at once). A failure is counted, reported and rethrown; a damaged log is not a
    /// failure to back off from.
    /// </summary>
    /// <returns>False when the pass was skipped.</returns>
    public async Task<bool> RunAsync(string cause, DateTimeOffset now, Func<Task> pass, Action<int, TimeSpan> onFailure, Action onRecovered)
    {
        if (ReobserveTimers.IsDriverTick(cause) && IsBackingOff(now))
        {
            return false;
        }

        try
        {
            await pass();
        }
        catch (Exception ex) when (ex is not EventLogCorruptedException)
        {
            var delay = RecordFailure(now, Random.Shared.NextDouble());
            onFailure(Failures, delay);
            throw;
        }

        if (RecordSuccess())
        {
            onRecovered();
        }

        return true;
    }
}
