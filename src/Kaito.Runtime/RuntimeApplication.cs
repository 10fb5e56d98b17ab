using Kaito.Runtime.Adapters;
using Kaito.Runtime.Generation;
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
        var port = builder.Configuration.GetValue($"{RuntimeOptions.SectionName}:Port", 5000);
        var listen = builder.Configuration.GetValue($"{RuntimeOptions.SectionName}:ListenAddress", "0.0.0.0");
        builder.WebHost.UseUrls($"http://{listen}:{port}");
        var drain = builder.Configuration.GetValue($"{RuntimeOptions.SectionName}:DrainTimeout", TimeSpan.FromSeconds(30));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = drain + TimeSpan.FromSeconds(5));

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
        services.AddSingleton<ITextGenerator, OnnxTextGenerator>();
        services.AddSingleton<GenerationRunner>();
        return services;
    }
}
