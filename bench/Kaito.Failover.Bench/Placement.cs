using Orleans.Runtime;

namespace Kaito.Failover.Bench;

/// <summary>Where each Workspace grain is active, from Orleans' management grain: its activations by silo.</summary>
internal static class Placement
{
    /// <summary>Workspace key -> the silos it is active on (one, when the cluster keeps each grain in one place).</summary>
    public static async Task<Dictionary<string, List<SiloAddress>>> OfAsync(IClusterClient client, IReadOnlySet<string> keys)
    {
        var stats = await client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return stats
            .Where(s => keys.Contains(s.GrainId.Key.ToString()!))
            .GroupBy(s => s.GrainId.Key.ToString()!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(s => s.SiloAddress).Distinct().ToList(), StringComparer.Ordinal);
    }

    /// <summary>Polls the cluster's membership view until <paramref name="silo"/> (by its silo port) is declared dead.</summary>
    public static async Task<TimeSpan> DeclaredDeadAsync(IClusterClient client, int siloPort, System.Diagnostics.Stopwatch since, TimeSpan deadline)
    {
        var management = client.GetGrain<IManagementGrain>(0);
        while (since.Elapsed < deadline)
        {
            try
            {
                var hosts = await management.GetHosts().WaitAsync(TimeSpan.FromSeconds(1));
                if (hosts.Any(h => h.Key.Endpoint.Port == siloPort && h.Value == SiloStatus.Dead))
                {
                    return since.Elapsed;
                }
            }
            catch (Exception ex) when (ex is TimeoutException or OrleansException)
            {
                // The management grain's silo may be the one killed: ask again.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"the silo on port {siloPort} was not declared dead within {deadline}");
    }
}
