using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kaito.Silo.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>Registers the OTLP trace exporter (off without an endpoint), bound from <paramref name="section"/> and validated at start.</summary>
    public static IServiceCollection AddKaitoTracing(this IServiceCollection services, IConfiguration section)
    {
        services.AddOptions<TelemetryOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>());
        services.AddHostedService<TraceExportService>();
        return services;
    }
}
