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
    private SideListener? _listener;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        var address = AuditEndpointAddress.TryParse(settings.Url, out _)!;
        _listener = SideListener.Create(loggerFactory, address.Address ?? IPAddress.Any, address.Port, services: services => services.AddRouting());
        AuditEndpoints.Map(_listener.App, queries, settings.Token);
        await _listener.StartAsync("Audit:Url", settings.Url, cancellationToken);

        LogServing(settings.Url, string.IsNullOrEmpty(settings.Token) ? "none (loopback only)" : "bearer token");
    }

    public Task StopAsync(CancellationToken cancellationToken) => _listener?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
            _listener = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit API serving on {Url}; authentication: {Authentication}")]
    private partial void LogServing(string url, string authentication);
}
