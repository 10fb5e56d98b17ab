using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kaito.Silo.Webhooks;

/// <summary>
/// The certificates in a <c>kubernetes.io/tls</c> Secret (tls.crt, tls.key, plus ca.crt and ca.key), shared by every
/// silo behind the Service: the first one to start creates it, the others read it.
/// </summary>
public sealed class SecretCertificateStore(IKubernetes client, string secretNamespace, string name) : IWebhookCertificateStore
{
    public string Location => $"Secret {secretNamespace}/{name}";

    public async Task<WebhookCertificateBundle?> LoadAsync(CancellationToken cancellationToken)
    {
        V1Secret secret;
        try
        {
            secret = await client.CoreV1.ReadNamespacedSecretAsync(name, secretNamespace, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        string? Text(string key) => secret.Data?.TryGetValue(key, out var bytes) == true ? Encoding.UTF8.GetString(bytes) : null;
        return Text(FolderCertificateStore.CaCertificateFile) is { } caCert && Text(FolderCertificateStore.CaKeyFile) is { } caKey
            && Text(FolderCertificateStore.CertificateFile) is { } cert && Text(FolderCertificateStore.KeyFile) is { } key
            ? new WebhookCertificateBundle(caCert, caKey, cert, key)
            : null;
    }

    public async Task<bool> TrySaveAsync(WebhookCertificateBundle bundle, bool replace, CancellationToken cancellationToken)
    {
        var secret = new V1Secret
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = secretNamespace,
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "kaito" },
            },
            Type = "kubernetes.io/tls",
            Data = new Dictionary<string, byte[]>
            {
                [FolderCertificateStore.CaCertificateFile] = Encoding.UTF8.GetBytes(bundle.CaCertificatePem),
                [FolderCertificateStore.CaKeyFile] = Encoding.UTF8.GetBytes(bundle.CaKeyPem),
                [FolderCertificateStore.CertificateFile] = Encoding.UTF8.GetBytes(bundle.CertificatePem),
                [FolderCertificateStore.KeyFile] = Encoding.UTF8.GetBytes(bundle.KeyPem),
            },
        };
        try
        {
            if (replace)
            {
                await client.CoreV1.ReplaceNamespacedSecretAsync(secret, name, secretNamespace, cancellationToken: cancellationToken);
            }
            else
            {
                await client.CoreV1.CreateNamespacedSecretAsync(secret, secretNamespace, cancellationToken: cancellationToken);
            }

            return true;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
