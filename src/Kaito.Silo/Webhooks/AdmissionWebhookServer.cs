using System.Net;
using System.Security.Cryptography.X509Certificates;
using k8s;
using Kaito.Silo.Run;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kaito.Silo.Webhooks;

/// <summary>
/// Serves the Workspace admission webhooks over HTTPS (Kestrel) when <see cref="AdmissionWebhookOptions.Enabled"/>:
/// at start it reuses or issues the certificates, starts listening, then writes both webhook configurations with
/// the CA bundle, so that the API server never calls a webhook that does not answer yet.
/// </summary>
public sealed partial class AdmissionWebhookServer(
    IOptions<AdmissionWebhookOptions> options,
    WorkspaceAdmission admission,
    IKubernetes kubernetes,
    TimeProvider clock,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<AdmissionWebhookServer>();
    private SideListener? _listener;
    private X509Certificate2? _certificate;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        IWebhookCertificateStore store = settings.Mode == WebhookModes.Service
            ? new SecretCertificateStore(kubernetes, settings.ServiceNamespace, settings.SecretName)
            : new FolderCertificateStore(settings.ResolvedCertDir);
        var (bundle, outcome) = await new WebhookCertificateSource(store, clock).EnsureAsync(settings.ServingNames, cancellationToken);
        _certificate = X509Certificate2.CreateFromPem(bundle.CertificatePem, bundle.KeyPem);

        var certificate = _certificate;
        _listener = SideListener.Create(loggerFactory, ListenAddress(settings), settings.Port, listen => listen.UseHttps(certificate));
        _listener.App.Run(context => AdmissionEndpoint.HandleAsync(context, admission,
            (request, response) => LogRefused(request.Operation, request.Namespace, request.Name, response.Status?.Message)));
        await _listener.StartAsync("Webhook:Port", settings.Port, cancellationToken);

        await new WebhookConfigurationWriter(kubernetes).WriteAsync(settings, bundle.CaCertificatePem, cancellationToken);
        LogServing(settings.Port, settings.Mode == WebhookModes.Service
            ? $"Service {settings.ServiceNamespace}/{settings.ServiceName}"
            : WebhookConfigurations.Url(settings, "/"), settings.ConfigurationName, outcome);
    }

    public Task StopAsync(CancellationToken cancellationToken) => _listener?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
            _listener = null;
        }

        _certificate?.Dispose();
    }

    /// <summary>url mode: the Host when it is an IP (loopback for the local stack), else every address; service mode: every address.</summary>
    private static IPAddress ListenAddress(AdmissionWebhookOptions settings) =>
        settings.Mode == WebhookModes.Url && IPAddress.TryParse(settings.Host, out var ip) ? ip : IPAddress.Any;

    [LoggerMessage(Level = LogLevel.Information, Message = "Admission webhooks serving on port {Port} (API server calls {Target}; configurations {Configuration}); certificate {Outcome}")]
    private partial void LogServing(int port, string target, string configuration, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admission refused {Operation} of Workspace {Namespace}/{Name}: {Message}")]
    private partial void LogRefused(string operation, string? @namespace, string? name, string? message);
}
