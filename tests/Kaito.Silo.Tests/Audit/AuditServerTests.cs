using System.Net;
using System.Net.Sockets;
using Kaito.Silo.Audit;
using Kaito.Silo.Run;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kaito.Silo.Tests.Audit;

public sealed class AuditServerTests
{
    [Fact]
    public async Task A_port_already_in_use_stops_start_naming_the_setting()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";
        await using var server = new AuditServer(Options.Create(new AuditOptions { Url = url }), new AuditQueries(null!), NullLoggerFactory.Instance);

        var error = await Assert.ThrowsAsync<StartupException>(() => server.StartAsync(CancellationToken.None));

        Assert.StartsWith($"Audit:Url {url} cannot be listened on", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("set --audit-url, KAITO_AUDIT__URL or \"Audit:Url\" in the config file.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_disabled_nothing_listens()
    {
        var port = EndToEnd.ControlPlaneFixture.FreePort();
        await using var server = new AuditServer(Options.Create(new AuditOptions { Enabled = false, Url = $"http://127.0.0.1:{port}" }), new AuditQueries(null!), NullLoggerFactory.Instance);

        await server.StartAsync(CancellationToken.None);

        using var probe = new TcpListener(IPAddress.Loopback, port);
        probe.Start();
    }
}
