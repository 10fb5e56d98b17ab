using System.Diagnostics;
using Kaito.Grains.Workspaces;

namespace Kaito.Failover.Bench;

/// <summary>Asks workspace grains for their state until each answers, and notes when it first did.</summary>
internal static class Answers
{
    /// <summary>Time (on <paramref name="clock"/>) of each grain's first answer and the state it answered, asking
    /// again at once after a failure or after 1 s without an answer.</summary>
    public static async Task<Dictionary<string, (TimeSpan At, WorkspaceView View, int Attempts)>> AwaitAllAsync(
        IClusterClient client, IEnumerable<string> keys, Stopwatch clock, TimeSpan deadline)
    {
        var results = await Task.WhenAll(keys.Select(async key =>
        {
            var grain = client.GetGrain<IWorkspaceGrain>(key);
            for (var attempts = 1; ; attempts++)
            {
                try
                {
                    var view = await grain.GetState().WaitAsync(TimeSpan.FromSeconds(1));
                    return (key, clock.Elapsed, view, attempts);
                }
                catch (Exception) when (clock.Elapsed < deadline)
                {
                    await Task.Delay(20);
                }
            }
        }));
        return results.ToDictionary(r => r.key, r => (r.Item2, r.view, r.attempts), StringComparer.Ordinal);
    }
}
