using Kaito.Grains.Hosting;
using Kaito.Grains.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;

namespace Kaito.Grains.Bench;

/// <summary>One in-process silo with the Kaito grains over the given storage; ports do nothing.</summary>
internal static class BenchSilo
{
    public static async Task<InProcessTestCluster> StartAsync(string connectionString, string tablePrefix)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureHost(host => host.Logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddKaitoGrains(o =>
            {
                o.ConnectionString = connectionString;
                o.TablePrefix = tablePrefix;
            });
            silo.UseInMemoryReminderService();
            var ports = new NoOpPorts();
            silo.Services.AddSingleton<IKubernetesObjectPort>(ports);
            silo.Services.AddSingleton<INodeProvisioner>(ports);
            silo.Services.AddSingleton<IWorkspaceStatusPublisher>(ports);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
