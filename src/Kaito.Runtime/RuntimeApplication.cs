using Kaito.Runtime.Adapters;
using Kaito.Runtime.Generation;
using Kaito.Runtime.Generation.Engine;
using Kaito.Runtime.Kaito;
using Kaito.Runtime.Lifecycle;
using Kaito.Runtime.Metrics;
using Kaito.Runtime.OpenAi;
using Kaito.Runtime.Serving;
using Kaito.Runtime.Templates;
using Microsoft.Extensions.Options;

namespace Kaito.Runtime;

/// <summary>Builds the model server: services, middleware and endpoints. Tests and the bench build it the same way.</summary>
public static class RuntimeApplication
{
    /// <summary>Upstream's (and vLLM's) flag names, mapped onto configuration keys.</summary>
    private static readonly Dictionary<string, string> CommandLineSwitches = new(StringComparer.Ordinal)
    {
        ["--chat_template"] = "Runtime:ChatTemplate",
        ["--chat-template"] = "Runtime:ChatTemplate",
    };

    /// <param name="configure">Runs after the defaults, so callers can add configuration or replace services.</param>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddCommandLine(args, CommandLineSwitches);
        builder.Services.AddKaitoRuntime();
        configure?.Invoke(builder);
        // Kestrel and the host are configured before the container exists, so read the few options they need directly.
        var options = builder.Configuration.GetSection(RuntimeOptions.SectionName).Get<RuntimeOptions>() ?? new RuntimeOptions();
        builder.WebHost.UseUrls($"http://{options.ListenAddress}:{options.Port}");
        builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = options.InlineSocketScheduling);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.DrainTimeout + RuntimeOptions.ShutdownMargin);

        var app = builder.Build();
        app.UseMiddleware<RequestMetricsMiddleware>();
        app.UseMiddleware<RuntimeErrorMiddleware>();
        app.MapKaitoEndpoints();
        app.MapOpenAiEndpoints();
        app.MapRuntimeMetrics();
        return app;
    }

    /// <summary>
    /// Runs the server until it stops; returns the process exit code: 0 after a clean shutdown, 1 when the
    /// configuration, the model or an adapter could not be loaded (the reason is then in the termination-message file).
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try
        {
            app = Create(args);
        }
        catch (Exception error) when (error is InvalidOperationException or FormatException or OptionsValidationException)
        {
            return Fail(new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build(), $"Invalid configuration: {error.Message}");
        }

        // RunAsync disposes the app, so take what is read after it first.
        var configuration = app.Configuration;
        ModelHost host;
        try
        {
            host = app.Services.GetRequiredService<ModelHost>();
            await app.RunAsync();
        }
        catch (OptionsValidationException error)
        {
            return Fail(configuration, $"Invalid configuration: {error.Message}");
        }

        return host.Failure is null ? 0 : 1;
    }

    private static int Fail(IConfiguration configuration, string reason)
    {
        Console.Error.WriteLine(reason);
        var path = configuration[$"{RuntimeOptions.SectionName}:{nameof(RuntimeOptions.TerminationMessagePath)}"] ?? new RuntimeOptions().TerminationMessagePath;
        try
        {
            TerminationMessage.Write(path, reason);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"The termination-message file {path} cannot be written: {error.Message}");
        }

        return 1;
    }

    public static IServiceCollection AddKaitoRuntime(this IServiceCollection services)
    {
        services.AddOptions<RuntimeOptions>().BindConfiguration(RuntimeOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RuntimeOptions>, RuntimeOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddRuntimeMetrics();
        services.AddSingleton<KvCacheBudget>();
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
        services.AddSingleton<ChatTemplateSource>();
        services.AddSingleton<ChatPrompt>();
        return services;
    }
}
