namespace Kaito.Silo.Webhooks;

/// <summary>Where the webhooks' certificates are kept between starts: a folder locally, a Secret in-cluster.</summary>
public interface IWebhookCertificateStore
{
    /// <summary>For logs: <c>folder /path</c> or <c>Secret ns/name</c>.</summary>
    string Location { get; }

    /// <summary>The stored bundle, or null when there is none yet.</summary>
    Task<WebhookCertificateBundle?> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="bundle"/>; false when another silo stored one first (read it again and use that).</summary>
    Task<bool> TrySaveAsync(WebhookCertificateBundle bundle, bool replace, CancellationToken cancellationToken);
}
