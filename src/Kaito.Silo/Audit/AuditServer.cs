using System.Net;
using Kaito.Silo.Run;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kaito.Silo.Audit;

/// <summary>Serves the audit API over HTTP (Kestrel, its own listener) when <see cref="AuditOptions.Enabled"/>.</summary>
public sealed partial class AuditServer(IOptions<AuditOptions> options, AuditQueries queries, ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<AuditServer>();
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        var address = AuditEndpointAddress.TryParse(settings.Url, out _)!;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddRouting();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address.Address ?? IPAddress.Any, address.Port);
        });
        _app = builder.Build();
        AuditEndpoints.Map(_app, queries, settings.Token);
        try
        {
            await _app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            throw new StartupException($"Audit:Url {settings.Url} cannot be listened on ({ex.Message}); set {RunSettings.Describe("Audit:Url")}.", ex);
        }

        LogServing(settings.Url, string.IsNullOrEmpty(settings.Token) ? "none (loopback only)" : "bearer token");
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
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit API serving on {Url}; authentication: {Authentication}")]
    private partial void LogServing(string url, string authentication);
}
