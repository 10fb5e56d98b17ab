using System.Net;
using Kaito.Grains.Telemetry;
using Kaito.Silo.Run;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;

namespace Kaito.Silo.Operations;

/// <summary>
/// Serves <c>/metrics</c> (the <see cref="KaitoMetrics"/> instruments and Orleans' own, in Prometheus text format),
/// <c>/healthz</c> and, with <see cref="OperationsOptions.Dashboard"/>, the Orleans Dashboard at <c>/dashboard</c> on
/// <see cref="OperationsOptions.Host"/>:<see cref="OperationsOptions.Port"/>.
/// </summary>
/// <param name="services">The silo's services: the dashboard's live there.</param>
public sealed partial class OperationsServer(IOptions<OperationsOptions> options, ILoggerFactory loggerFactory, IServiceProvider services) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<OperationsServer>();
    public const string DashboardPath = "/dashboard";

    private MeterProvider? _meters;
    private SideListener? _listener;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        _meters = Sdk.CreateMeterProviderBuilder()
            .AddMeter(KaitoMetrics.Name, "Microsoft.Orleans")
            .AddPrometheusExporter()
            .Build();
        if (settings.Dashboard && !DashboardServices.AreRegistered(services))
        {
            throw new StartupException("Operations:Dashboard is on but the silo has no dashboard (AddDashboard on the silo builder).");
        }

        _listener = SideListener.Create(loggerFactory, IPAddress.Parse(settings.Host), settings.Port, services: s =>
        {
            s.AddRouting();
            if (settings.Dashboard)
            {
                DashboardServices.Forward(s, services);
            }
        });
        _listener.App.UseOpenTelemetryPrometheusScrapingEndpoint(_meters, null, "/metrics", null, null);
        _listener.App.MapGet("/healthz", () => "ok\n");
        if (settings.Dashboard)
        {
            _listener.App.MapOrleansDashboard(DashboardPath);
        }

        await _listener.StartAsync("Operations:Port", settings.Port, cancellationToken);

        LogServing(settings.Host, settings.Port);
        if (settings.Dashboard)
        {
            LogDashboard(settings.Host, settings.Port, DashboardPath);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => _listener?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
            _listener = null;
        }

        _meters?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Orleans Dashboard on http://{Host}:{Port}{Path}/")]
    private partial void LogDashboard(string host, int port, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Metrics on http://{Host}:{Port}/metrics, health on /healthz")]
    private partial void LogServing(string host, int port);
}
