namespace Kaito.Silo.Webhooks;

/// <summary>
/// The <c>Webhook</c> section of <c>kaito run</c>: whether the silo serves the Workspace admission webhooks, where,
/// and how the API server reaches them. Flags and environment variables are in <c>RunSettings</c>.
/// </summary>
public sealed class AdmissionWebhookOptions
{
    public const string SectionName = "Webhook";

    /// <summary>Serve the webhooks and register them with the API server at start.</summary>
    public bool Enabled { get; set; }

    /// <summary>The HTTPS port the webhooks listen on.</summary>
    public int Port { get; set; } = 9443;

    /// <summary>
    /// <c>url</c>: the API server calls <c>https://Host:Port/...</c> (a silo beside the API server, e.g. the local
    /// stack); certificates in <see cref="CertDir"/>. <c>service</c>: it calls the Service
    /// <see cref="ServiceNamespace"/>/<see cref="ServiceName"/> (in-cluster); certificates in the Secret <see cref="SecretName"/>.
    /// </summary>
    public string Mode { get; set; } = WebhookModes.Url;

    /// <summary>url mode: the address the API server calls and the serving certificate names (an IP or a DNS name).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>url mode: where the CA and serving certificate are kept; empty: <c>~/.local/share/kaito/webhook</c>.</summary>
    public string? CertDir { get; set; }

    public string ServiceName { get; set; } = "kaito-webhook";

    public string ServiceNamespace { get; set; } = "kaito-system";

    /// <summary>service mode: the Secret (in <see cref="ServiceNamespace"/>) that keeps the CA and serving certificate.</summary>
    public string SecretName { get; set; } = "kaito-webhook-cert";

    /// <summary>The name of both the ValidatingWebhookConfiguration and the MutatingWebhookConfiguration.</summary>
    public string ConfigurationName { get; set; } = "kaito-workspaces";

    /// <summary>How long the API server waits for an answer before it applies the failure policy (Ignore).</summary>
    public int TimeoutSeconds { get; set; } = 5;

    public string ResolvedCertDir => string.IsNullOrWhiteSpace(CertDir)
        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "kaito", "webhook")
        : CertDir;

    /// <summary>The names the serving certificate must carry.</summary>
    public IReadOnlyList<string> ServingNames => Mode == WebhookModes.Service
        ?
        [
            $"{ServiceName}.{ServiceNamespace}.svc", $"{ServiceName}.{ServiceNamespace}.svc.cluster.local",
            $"{ServiceName}.{ServiceNamespace}", ServiceName,
        ]
        : [Host];
}
