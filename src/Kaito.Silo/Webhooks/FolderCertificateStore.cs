namespace Kaito.Silo.Webhooks;

/// <summary>The certificates as four PEM files in a folder of the user's (keys readable by the owner only).</summary>
public sealed class FolderCertificateStore(string folder) : IWebhookCertificateStore
{
    public const string CaCertificateFile = "ca.crt";
    public const string CaKeyFile = "ca.key";
    public const string CertificateFile = "tls.crt";
    public const string KeyFile = "tls.key";

    public string Location => $"folder {folder}";

    public async Task<WebhookCertificateBundle?> LoadAsync(CancellationToken cancellationToken)
    {
        var paths = new[] { CaCertificateFile, CaKeyFile, CertificateFile, KeyFile }.Select(f => Path.Combine(folder, f)).ToArray();
        if (!paths.All(File.Exists))
        {
            return null;
        }

        var texts = new string[paths.Length];
        for (var i = 0; i < paths.Length; i++)
        {
            texts[i] = await File.ReadAllTextAsync(paths[i], cancellationToken);
        }

        return new WebhookCertificateBundle(texts[0], texts[1], texts[2], texts[3]);
    }

    public async Task<bool> TrySaveAsync(WebhookCertificateBundle bundle, bool replace, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        await WriteAsync(CaCertificateFile, bundle.CaCertificatePem, secret: false, cancellationToken);
        await WriteAsync(CaKeyFile, bundle.CaKeyPem, secret: true, cancellationToken);
        await WriteAsync(CertificateFile, bundle.CertificatePem, secret: false, cancellationToken);
        await WriteAsync(KeyFile, bundle.KeyPem, secret: true, cancellationToken);
        return true;
    }

    private async Task WriteAsync(string name, string text, bool secret, CancellationToken cancellationToken)
    {
        // Written beside and moved into place, so that a crash never leaves half a key.
        var path = Path.Combine(folder, name);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, text, cancellationToken);
        if (secret && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
