using Kaito.Runtime.Generation;
using Kaito.Runtime.Metrics;
using Kaito.Runtime.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kaito.Runtime.Tests.Support;

/// <summary>The real server on Kestrel, on a free loopback port, serving the tiny model.</summary>
public sealed class RuntimeServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RuntimeServer(WebApplication app, GatedTextGenerator? gate)
    {
        _app = app;
        Gate = gate;
        BaseAddress = new Uri(app.Urls.First());
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public GatedTextGenerator? Gate { get; }

    public IServiceProvider Services => _app.Services;

    public RuntimeMetrics Metrics => Services.GetRequiredService<RuntimeMetrics>();

    public GenerationScheduler Scheduler => Services.GetRequiredService<GenerationScheduler>();

    public static async Task<RuntimeServer> StartAsync(
        IDictionary<string, string?>? settings = null,
        bool gated = false,
        string? modelDirectory = null,
        bool waitForModel = true,
        int? failAfterChunks = null,
        string[]? args = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        GatedTextGenerator? gate = null;
        var app = RuntimeApplication.Create(args ?? [], builder =>
        {
            var config = new Dictionary<string, string?>
            {
                ["Runtime:ModelDirectory"] = modelDirectory ?? TestModelFiles.ModelDirectory,
                ["Runtime:ModelName"] = "tiny",
                ["Runtime:Port"] = "0",
                ["Runtime:ListenAddress"] = "127.0.0.1",
                ["Runtime:AdapterDirectory"] = TestModelFiles.NewScratchDirectory(),
                ["Runtime:AdapterCacheDirectory"] = TestModelFiles.NewScratchDirectory(),
                ["Runtime:TerminationMessagePath"] = Path.Combine(TestModelFiles.NewScratchDirectory(), "termination-log"),
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                config[key] = value;
            }

            builder.Configuration.AddInMemoryCollection(config);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            if (gated)
            {
                builder.Services.AddSingleton<ITextGenerator>(sp =>
                    gate = new GatedTextGenerator(ActivatorUtilities.CreateInstance<OnnxTextGenerator>(sp)));
            }
            else if (failAfterChunks is { } chunks)
            {
                builder.Services.AddSingleton<ITextGenerator>(sp =>
                    new FailingTextGenerator(ActivatorUtilities.CreateInstance<OnnxTextGenerator>(sp), chunks));
            }

            configure?.Invoke(builder);
        });
        await app.StartAsync();
        if (waitForModel)
        {
            await app.Services.GetRequiredService<ModelHost>().WhenLoaded.WaitAsync(TimeSpan.FromSeconds(30));
        }

        if (gated)
        {
            _ = app.Services.GetRequiredService<ITextGenerator>();
        }

        return new RuntimeServer(app, gate);
    }

    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Gate?.Open();
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
