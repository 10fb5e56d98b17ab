using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Kaito.Failover.Bench;

/// <summary>An Orleans client of the silos' cluster, found through the same Azure Table membership they use.</summary>
internal static class ClusterClient
{
    public static async Task<IHost> ConnectAsync(TableServiceClient tables, string tablePrefix, string serviceId, string clusterId, TimeSpan deadline)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.UseOrleansClient(client =>
        {
            client.UseAzureStorageClustering(o =>
            {
                o.TableServiceClient = tables;
                o.TableName = tablePrefix + "Silos";
            });
            client.Configure<ClusterOptions>(o =>
            {
                o.ServiceId = serviceId;
                o.ClusterId = clusterId;
            });
            // A call to a grain on the killed silo fails or times out fast, and the bench asks again.
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(2));
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
            client.UseConnectionRetryFilter(async (_, ct) =>
            {
                await Task.Delay(200, ct);
                return true;
            });
        });
        var host = builder.Build();
        using var timeout = new CancellationTokenSource(deadline);
        await host.StartAsync(timeout.Token);
        return host;
    }

    public static IClusterClient Of(IHost host) => host.Services.GetRequiredService<IClusterClient>();
}
