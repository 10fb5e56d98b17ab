namespace Kaito.CrdBridge.Watching;

/// <summary>Capped exponential backoff with jitter for reconnecting a watch. Pure: the random draw is passed in.</summary>
public static class WatchBackoff
{
    /// <param name="failures">Consecutive failures so far, at least 1.</param>
    /// <param name="random01">A draw from [0, 1).</param>
    /// <returns>min(cap, base * 2^(failures-1)), shortened by up to <paramref name="jitterRatio"/> of itself.</returns>
    public static TimeSpan Delay(int failures, TimeSpan baseDelay, TimeSpan cap, double jitterRatio, double random01)
    {
        var exponent = Math.Clamp(failures - 1, 0, 30);
        var raw = Math.Min(cap.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(raw * (1 - (jitterRatio * random01)));
    }
}
