using System.Net;
using Kaito.Silo.Operations;
using Kaito.Silo.Run;
using Kaito.Silo.Tests.EndToEnd;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kaito.Silo.Tests.Operations;

public sealed class OperationsServerTests
{
    [Fact]
    public async Task Without_the_dashboard_setting_dashboard_is_404_while_metrics_and_healthz_answer()
    {
        var port = ControlPlaneFixture.FreePort();
        await using var server = new OperationsServer(Options.Create(new OperationsOptions { Port = port }), NullLoggerFactory.Instance,
            new ServiceCollection().BuildServiceProvider());
        await server.StartAsync(CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/dashboard")).StatusCode);
        Assert.Equal("ok\n", await http.GetStringAsync("/healthz"));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/elsewhere")).StatusCode);
        await server.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_dashboard_setting_without_the_silos_dashboard_stops_start_up_with_the_reason()
    {
        await using var server = new OperationsServer(Options.Create(new OperationsOptions { Port = ControlPlaneFixture.FreePort(), Dashboard = true }),
            NullLoggerFactory.Instance, new ServiceCollection().BuildServiceProvider());

        var error = await Assert.ThrowsAsync<StartupException>(() => server.StartAsync(CancellationToken.None));

        Assert.Contains("Operations:Dashboard", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_dashboard_with_the_operations_endpoint_off_is_refused_naming_the_setting()
    {
        var result = new OperationsOptionsValidator().Validate(null, new OperationsOptions { Enabled = false, Dashboard = true });

        Assert.True(result.Failed);
        Assert.Contains("KAITO_OPERATIONS__ENABLED", result.FailureMessage, StringComparison.Ordinal);
    }
}
