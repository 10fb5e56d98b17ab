using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Kaito.Runtime.Metrics;

/// <summary>
/// /metrics: every instrument of the <see cref="RuntimeMetrics.MeterName"/> meter in Prometheus text format, through
/// the OpenTelemetry Prometheus exporter, with vLLM's names restored by <see cref="VllmMetricNameMiddleware"/>.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static IServiceCollection AddRuntimeMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<RuntimeMetrics>();
        services.AddSingleton(sp =>
        {
            // Meters are process-wide; a meter made by another container's factory (a second server in the same
            // process, as in tests) is left out, so each server exports only its own instruments.
            var factory = sp.GetRequiredService<IMeterFactory>();
            return Sdk.CreateMeterProviderBuilder()
                .AddMeter(RuntimeMetrics.MeterName)
                .AddView(instrument => instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, factory) ? null : MetricStreamConfiguration.Drop)
                .AddPrometheusExporter(o =>
                {
                    // Every scrape sees the values of that moment (the default caches a response for 300 ms).
                    o.ScrapeResponseCacheDurationMilliseconds = 0;

                    // Series carry only their own labels, as vLLM's do (no otel_scope_* labels, no target_info).
                    o.ScopeInfoEnabled = false;
                    o.TargetInfoEnabled = false;
                })
                .Build();
        });
        return services;
    }

    public static IEndpointConventionBuilder MapRuntimeMetrics(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPrometheusScrapingEndpoint(
            Path,
            endpoints.ServiceProvider.GetRequiredService<MeterProvider>(),
            branch => branch.UseMiddleware<VllmMetricNameMiddleware>(),
            null);
}
