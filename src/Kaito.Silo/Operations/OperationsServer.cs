using System.Net;
using Kaito.Grains.Telemetry;
using Kaito.Silo.Run;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Kaito.Silo.Operations;

/// <summary>
/// Serves <c>/metrics</c> (the <see cref="KaitoMetrics"/> instruments and Orleans' own, in Prometheus text format)
/// and <c>/healthz</c> on <see cref="OperationsOptions.Host"/>:<see cref="OperationsOptions.Port"/>.
/// </summary>
public sealed partial class OperationsServer(IOptions<OperationsOptions> options, ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<OperationsServer>();
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
        _listener = SideListener.Create(loggerFactory, IPAddress.Parse(settings.Host), settings.Port);
        _listener.App.UseOpenTelemetryPrometheusScrapingEndpoint(_meters, null, "/metrics", null, null);
        _listener.App.Run(context =>
        {
            context.Response.StatusCode = context.Request.Path == "/healthz" ? StatusCodes.Status200OK : StatusCodes.Status404NotFound;
            return context.Response.WriteAsync(context.Response.StatusCode == StatusCodes.Status200OK ? "ok\n" : "", context.RequestAborted);
        });
        await _listener.StartAsync("Operations:Port", settings.Port, cancellationToken);

        LogServing(settings.Host, settings.Port);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Metrics on http://{Host}:{Port}/metrics, health on /healthz")]
    private partial void LogServing(string host, int port);
}
