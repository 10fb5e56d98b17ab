using System.Net;
using System.Net.Sockets;
using Kaito.Silo.Run;
using Kaito.Testing;
using Microsoft.Extensions.Hosting;

namespace Kaito.ControlPlane.Bench;

/// <summary><c>kaito run</c> in this process with the bring-your-own provisioner and the product's default timings;
/// every start uses the same tables, as a restarted silo does.</summary>
internal sealed class KaitoSilo(string kubeconfig, string storage)
{
    private readonly string _tablePrefix = AzuriteStorage.NewTablePrefix();
    private readonly string _serviceId = "bench-" + Guid.NewGuid().ToString("N")[..8];

    public string TablePrefix => _tablePrefix;

    public Task<IHost> StartAsync() => RunCommand.StartAsync(
        [
            "--kubeconfig", kubeconfig, "--storage", storage, "--provisioner", "byo",
            "--table-prefix", _tablePrefix, "--service-id", _serviceId, "--cluster-id", _serviceId,
            "--silo-port", FreePort().ToString(), "--gateway-port", FreePort().ToString(),
            "--set", "Logging:LogLevel:Default=Warning", "--audit", "false",
        ],
        null, CancellationToken.None);

    public static async Task StopAsync(IHost host)
    {
        await host.StopAsync();
        host.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
