using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kaito.Silo.Run;

/// <summary>
/// One of the small HTTP listeners <c>kaito run</c> serves beside the silo (admission webhooks, audit API, metrics):
/// a Kestrel of its own on one address, started with the silo. A port that cannot be listened on stops start-up with a
/// message that names the setting.
/// </summary>
internal sealed class SideListener : IAsyncDisposable
{
    private SideListener(WebApplication app) => App = app;

    /// <summary>Where the caller maps its endpoints before <see cref="StartAsync"/>.</summary>
    public WebApplication App { get; }

    public static SideListener Create(ILoggerFactory loggerFactory, IPAddress address, int port,
        Action<ListenOptions>? listen = null, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(loggerFactory);
        services?.Invoke(builder.Services);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, port, listen ?? (_ => { }));
        });
        return new SideListener(builder.Build());
    }

    /// <param name="setting">The setting that chose the address, as the error names it (e.g. <c>Audit:Url</c>).</param>
    /// <param name="value">Its value, as the error shows it.</param>
    public async Task StartAsync(string setting, object value, CancellationToken cancellationToken)
    {
        try
        {
            await App.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            throw new StartupException($"{setting} {value} cannot be listened on ({ex.Message}); set {RunSettings.Describe(setting)}.", ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => App.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
