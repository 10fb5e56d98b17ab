namespace Kaito.Silo.Webhooks;

/// <summary>The webhooks' self-signed CA and the serving certificate it signed, PEM-encoded, as stored between starts.</summary>
public sealed record WebhookCertificateBundle(string CaCertificatePem, string CaKeyPem, string CertificatePem, string KeyPem);
