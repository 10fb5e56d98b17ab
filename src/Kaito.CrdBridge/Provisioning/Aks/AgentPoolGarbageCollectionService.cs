using Kaito.Grains.Machines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kaito.CrdBridge.Provisioning.Aks;

/// <summary>
/// Runs the <see cref="AgentPoolGarbageCollector"/> every <see cref="AgentPoolOptions.OrphanCollectionInterval"/> when the
/// agent-pool provisioner is in use: a machine that is unknown, failed or deleted holds no pool.
/// </summary>
public sealed partial class AgentPoolGarbageCollectionService(
    IServiceProvider services, IOptions<NodeProvisionerOptions> provisioner, IOptions<AgentPoolOptions> options, TimeProvider clock,
    ILogger<AgentPoolGarbageCollectionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.OrphanCollectionInterval;
        if (provisioner.Value.Kind != NodeProvisionerKind.AgentPool || interval <= TimeSpan.Zero)
        {
            return;
        }

        var collector = services.GetRequiredService<AgentPoolGarbageCollector>();
        var grains = services.GetRequiredService<IGrainFactory>();
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await collector.CollectAsync(async (machine, _) =>
                        (await grains.GetGrain<IMachineGrain>(machine).GetState()).Phase is not (MachinePhase.None or MachinePhase.Failed or MachinePhase.Deleted),
                        stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPassFailed(ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Orphaned agent pool collection failed; the next pass tries again")]
    private partial void LogPassFailed(Exception exception);
}
