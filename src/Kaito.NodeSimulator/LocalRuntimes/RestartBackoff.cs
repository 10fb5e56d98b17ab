namespace Kaito.NodeSimulator.LocalRuntimes;

/// <summary>The kubelet's crash-loop back-off: initial, doubled per consecutive crash, capped; and how it is printed.</summary>
internal static class RestartBackoff
{
    /// <param name="crashes">Consecutive crashes, 1 for the first.</param>
    public static TimeSpan Delay(int crashes, TimeSpan initial, TimeSpan max)
    {
        var delay = initial;
        for (var i = 1; i < crashes && delay < max; i++)
        {
            delay *= 2;
        }

        return delay < max ? delay : max;
    }

    /// <summary>Go's duration format, as in the kubelet's message: <c>10s</c>, <c>1m20s</c>, <c>5m0s</c>, <c>500ms</c>.</summary>
    public static string Format(TimeSpan delay) =>
        delay < TimeSpan.FromSeconds(1) ? $"{(int)delay.TotalMilliseconds}ms"
        : delay < TimeSpan.FromMinutes(1) ? $"{(int)delay.TotalSeconds}s"
        : $"{(int)delay.TotalMinutes}m{delay.Seconds}s";
}
