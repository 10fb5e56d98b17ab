using Microsoft.Extensions.Logging;

namespace Kaito.CrdBridge.Provisioning.Aks;

/// <summary>
/// Deletes Kaito's agent pools (nodeLabels with <c>kaito.sh/workspace</c> and <c>kaito.sh/machine-name</c>) whose
/// machine is not live any more, once they are older than the grace period. Pools of other tools are never touched.
/// </summary>
public sealed partial class AgentPoolGarbageCollector(AgentPoolArmClient arm, AgentPoolOptions options, TimeProvider clock, ILogger<AgentPoolGarbageCollector> logger)
{
    /// <summary>One pass; returns the pools it started deleting.</summary>
    /// <param name="isLive">Whether the named machine still holds its pool.</param>
    public async Task<IReadOnlyList<string>> CollectAsync(Func<string, CancellationToken, Task<bool>> isLive, CancellationToken cancellationToken)
    {
        var collected = new List<string>();
        var now = clock.GetUtcNow();
        foreach (var pool in await arm.ListPoolsAsync(cancellationToken))
        {
            if (AgentPoolManifest.MachineOf(pool) is not { } machine || pool["name"]?.GetValue<string>() is not { } name
                || pool["properties"]?["provisioningState"]?.GetValue<string>() == "Deleting"
                || AgentPoolManifest.CreatedAt(pool) is not { } created || now - created < options.OrphanGracePeriod
                || await isLive(machine, cancellationToken))
            {
                continue;
            }

            await arm.DeletePoolAsync(name, cancellationToken);
            LogCollected(name, machine);
            collected.Add(name);
        }

        return collected;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting orphaned agent pool {Pool}: its machine {MachineName} is gone")]
    private partial void LogCollected(string pool, string machineName);
}
