using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kaito.Silo.Webhooks;

/// <summary>
/// Issues the webhooks' certificates without cert-manager: a self-signed CA (ten years) and a serving certificate
/// (one year) for the names the API server calls, both ECDSA P-256. Decides whether stored ones can be reused: the
/// CA is kept as long as it is valid, so the caBundle in the webhook configurations stays the same across restarts
/// and renewals. Pure: the time is passed in.
/// </summary>
public static class WebhookCertificateIssuer
{
    public static readonly TimeSpan AuthorityLifetime = TimeSpan.FromDays(3650);
    public static readonly TimeSpan ServingLifetime = TimeSpan.FromDays(365);

    /// <summary>A certificate this close to its end is replaced at start.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>A new serving certificate for <paramref name="names"/>, signed by the CA of <paramref name="previous"/> when that is still good, else by a new CA.</summary>
    public static WebhookCertificateBundle Issue(IReadOnlyList<string> names, DateTimeOffset now, WebhookCertificateBundle? previous = null)
    {
        using var authority = previous is not null && AuthorityProblem(previous, now) is null
            ? X509Certificate2.CreateFromPem(previous.CaCertificatePem, previous.CaKeyPem)
            : CreateAuthority(now);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={names[0]}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var ip))
            {
                san.AddIpAddress(ip);
            }
            else
            {
                san.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthOid)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var notAfter = now + ServingLifetime < End(authority) ? now + ServingLifetime : End(authority);
        using var serving = request.Create(authority, now.AddMinutes(-5), notAfter, RandomNumberGenerator.GetBytes(16));
        return new WebhookCertificateBundle(
            authority.ExportCertificatePem(),
            authority.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(),
            serving.ExportCertificatePem(),
            key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Null when <paramref name="bundle"/> can serve <paramref name="names"/> at <paramref name="now"/>, else why not.</summary>
    public static string? Problem(WebhookCertificateBundle bundle, IReadOnlyList<string> names, DateTimeOffset now)
    {
        if (AuthorityProblem(bundle, now) is { } problem)
        {
            return problem;
        }

        X509Certificate2 serving;
        try
        {
            serving = X509Certificate2.CreateFromPem(bundle.CertificatePem, bundle.KeyPem);
        }
        catch (CryptographicException ex)
        {
            return $"the serving certificate or its key cannot be read ({ex.Message})";
        }

        using (serving)
        using (var authority = X509Certificate2.CreateFromPem(bundle.CaCertificatePem))
        {
            if (End(serving) - RenewBefore < now || Start(serving) > now)
            {
                return $"the serving certificate is valid until {End(serving):yyyy-MM-dd}; it is renewed {RenewBefore.TotalDays:0} days before";
            }

            if (!SignedBy(serving, authority, now))
            {
                return "the serving certificate is not signed by the stored CA";
            }

            var carried = Names(serving);
            var missing = names.Where(n => !carried.Contains(n, StringComparer.OrdinalIgnoreCase)).ToList();
            return missing.Count == 0 ? null : $"the serving certificate does not name {string.Join(", ", missing)}";
        }
    }

    private static string? AuthorityProblem(WebhookCertificateBundle bundle, DateTimeOffset now)
    {
        try
        {
            using var authority = X509Certificate2.CreateFromPem(bundle.CaCertificatePem, bundle.CaKeyPem);
            return End(authority) - RenewBefore < now
                ? $"the CA is valid until {End(authority):yyyy-MM-dd}; it is renewed {RenewBefore.TotalDays:0} days before"
                : null;
        }
        catch (CryptographicException ex)
        {
            return $"the CA certificate or its key cannot be read ({ex.Message})";
        }
    }

    private static X509Certificate2 CreateAuthority(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kaito-webhook-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddMinutes(-5), now + AuthorityLifetime);
    }

    private static bool SignedBy(X509Certificate2 serving, X509Certificate2 authority, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        return chain.Build(serving);
    }

    private static List<string> Names(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var extension in certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            names.AddRange(extension.EnumerateDnsNames());
            names.AddRange(extension.EnumerateIPAddresses().Select(ip => ip.ToString()));
        }

        return names;
    }

    private static DateTimeOffset Start(X509Certificate2 certificate) => new(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);

    private static DateTimeOffset End(X509Certificate2 certificate) => new(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
}
