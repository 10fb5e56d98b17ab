using Kaito.Runtime.Adapters;
using Kaito.Runtime.Generation;
using Kaito.Runtime.Generation.Engine;
using Kaito.Runtime.Kaito;
using Kaito.Runtime.Metrics;
using Kaito.Runtime.OpenAi;
using Kaito.Runtime.Serving;
using Microsoft.Extensions.Options;

namespace Kaito.Runtime;

/// <summary>Builds the model server: services, middleware and endpoints. Tests and the bench build it the same way.</summary>
public static class RuntimeApplication
{
    /// <param name="configure">Runs after the defaults, so callers can add configuration or replace services.</param>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddKaitoRuntime();
        configure?.Invoke(builder);
        // Kestrel and the host are configured before the container exists, so read the few options they need directly.
        var options = builder.Configuration.GetSection(RuntimeOptions.SectionName).Get<RuntimeOptions>() ?? new RuntimeOptions();
        builder.WebHost.UseUrls($"http://{options.ListenAddress}:{options.Port}");
        builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = options.InlineSocketScheduling);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.DrainTimeout + TimeSpan.FromSeconds(5));

        var app = builder.Build();
        app.UseMiddleware<RequestMetricsMiddleware>();
        app.UseMiddleware<RuntimeErrorMiddleware>();
        app.MapKaitoEndpoints();
        app.MapOpenAiEndpoints();
        app.MapGet("/metrics", (RuntimeMetrics metrics) => Results.Text(metrics.ToPrometheusText(), "text/plain; version=0.0.4; charset=utf-8"));
        return app;
    }

    public static IServiceCollection AddKaitoRuntime(this IServiceCollection services)
    {
        services.AddOptions<RuntimeOptions>().BindConfiguration(RuntimeOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RuntimeOptions>, RuntimeOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<RuntimeMetrics>();
        services.AddSingleton<GenerationScheduler>();
        services.AddSingleton<ModelLoader>();
        services.AddSingleton<AdapterCatalog>();
        services.AddSingleton<ModelHost>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelHost>());
        services.AddMetrics();
        services.AddSingleton<OnnxTextGenerator>();
        services.AddSingleton<BatchingEngineHost>();
        services.AddSingleton<BatchingMetrics>();
        // Creating the metrics with the host registers the batching instruments from the start.
        services.AddHostedService(sp => sp.GetRequiredService<BatchingMetrics>() is { } ? sp.GetRequiredService<BatchingEngineHost>() : null!);
        services.AddSingleton<ITextGenerator, RoutingTextGenerator>();
        services.AddSingleton<GenerationRunner>();
        return services;
    }
}
