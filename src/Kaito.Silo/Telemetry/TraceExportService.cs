using Kaito.Grains.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Kaito.Silo.Telemetry;

/// <summary>
/// Exports the activities of <see cref="KaitoMetrics.ActivitySource"/> (one per reconcile pass) over OTLP when an
/// endpoint is configured (<see cref="OtlpTarget"/>); without one, no listener exists and no activity is created.
/// </summary>
public sealed partial class TraceExportService(IOptions<TelemetryOptions> options, ILogger<TraceExportService> logger) : IHostedService, IDisposable
{
    public const string DefaultServiceName = "kaito";

    private TracerProvider? _tracer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (OtlpTarget.Resolve(options.Value, Environment.GetEnvironmentVariable) is not { } target)
        {
            return Task.CompletedTask;
        }

        _tracer = Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(r => r.AddService(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") ?? DefaultServiceName))
            .AddSource(KaitoMetrics.Name)
            .AddOtlpExporter(o =>
            {
                o.Endpoint = target.Endpoint;
                o.Protocol = target.Protocol;
            })
            .Build();
        LogExporting(target.Endpoint, target.Protocol.ToString());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // What the batch holds still goes out: the last reconcile passes before a rollout are often the interesting ones.
        _tracer?.ForceFlush(5000);
        return Task.CompletedTask;
    }

    public void Dispose() => _tracer?.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Traces exported over OTLP to {Endpoint} ({Protocol})")]
    private partial void LogExporting(Uri endpoint, string protocol);
}
