namespace Kaito.Grains.Retries;

/// <summary>Capped exponential backoff with jitter, the one formula every retry path uses.</summary>
public static class RetryBackoff
{
    /// <summary>base * 2^(attempt-1), at most the cap, less up to <paramref name="jitterRatio"/> of it at random.</summary>
    /// <param name="unitRandom">A number in [0, 1), e.g. <c>Random.Shared.NextDouble()</c>; passed in so tests pin it.</param>
    public static TimeSpan Delay(int attempt, TimeSpan baseDelay, TimeSpan cap, double jitterRatio, double unitRandom)
    {
        var exponential = baseDelay.TotalSeconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var capped = Math.Min(cap.TotalSeconds, exponential);
        return TimeSpan.FromSeconds(capped * (1 - (jitterRatio * unitRandom)));
    }
}
