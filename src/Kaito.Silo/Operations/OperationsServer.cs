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
    private WebApplication? _app;

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
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Parse(settings.Host), settings.Port);
        });
        _app = builder.Build();
        _app.UseOpenTelemetryPrometheusScrapingEndpoint(_meters, null, "/metrics", null, null);
        _app.Run(context =>
        {
            context.Response.StatusCode = context.Request.Path == "/healthz" ? StatusCodes.Status200OK : StatusCodes.Status404NotFound;
            return context.Response.WriteAsync(context.Response.StatusCode == StatusCodes.Status200OK ? "ok\n" : "", context.RequestAborted);
        });
        try
        {
            await _app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            throw new StartupException($"Operations:Port {settings.Port} cannot be listened on ({ex.Message}); set {RunSettings.Describe("Operations:Port")}.", ex);
        }

        LogServing(settings.Host, settings.Port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }

        _meters?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Metrics on http://{Host}:{Port}/metrics, health on /healthz")]
    private partial void LogServing(string host, int port);
}
