using System.Security.Cryptography.X509Certificates;
using Kaito.Silo.Webhooks;
using Microsoft.Extensions.Time.Testing;

namespace Kaito.Silo.Tests.Webhooks;

public sealed class WebhookCertificateTests : IDisposable
{
    private static readonly string[] Loopback = ["127.0.0.1"];
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "kaito-webhook-certs-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private WebhookCertificateSource Source() => new(new FolderCertificateStore(_folder), _clock);

    [Fact]
    public void The_serving_certificate_names_the_callers_address_and_chains_to_the_ca_for_server_auth()
    {
        var bundle = WebhookCertificateIssuer.Issue(["kaito-webhook.kaito-system.svc", "127.0.0.1"], _clock.GetUtcNow());

        using var serving = X509Certificate2.CreateFromPem(bundle.CertificatePem, bundle.KeyPem);
        using var ca = X509Certificate2.CreateFromPem(bundle.CaCertificatePem);
        var san = Assert.Single(serving.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Equal(["kaito-webhook.kaito-system.svc"], san.EnumerateDnsNames());
        Assert.Equal("127.0.0.1", Assert.Single(san.EnumerateIPAddresses()).ToString());
        Assert.Contains(serving.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>(), o => o.Value == "1.3.6.1.5.5.7.3.1");
        Assert.True(serving.HasPrivateKey);
        Assert.True(ca.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Null(WebhookCertificateIssuer.Problem(bundle, ["127.0.0.1"], _clock.GetUtcNow()));
    }

    [Fact]
    public async Task A_second_start_reuses_the_stored_certificates()
    {
        var (first, firstOutcome) = await Source().EnsureAsync(Loopback, default);
        _clock.Advance(TimeSpan.FromDays(100));

        var (second, outcome) = await Source().EnsureAsync(Loopback, default);

        Assert.StartsWith("issued (new CA)", firstOutcome, StringComparison.Ordinal);
        Assert.Equal(first, second);
        Assert.StartsWith("reused from folder ", outcome, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Keys_are_readable_by_the_owner_only()
    {
        await Source().EnsureAsync(Loopback, default);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_folder, FolderCertificateStore.KeyFile)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_folder, FolderCertificateStore.CaKeyFile)));
    }

    [Fact]
    public async Task A_serving_certificate_near_its_end_is_renewed_under_the_same_ca()
    {
        var (first, _) = await Source().EnsureAsync(Loopback, default);
        _clock.Advance(WebhookCertificateIssuer.ServingLifetime - TimeSpan.FromDays(10));

        var (renewed, outcome) = await Source().EnsureAsync(Loopback, default);

        Assert.NotEqual(first.CertificatePem, renewed.CertificatePem);
        Assert.Equal(first.CaCertificatePem, renewed.CaCertificatePem);
        Assert.Contains("same CA", outcome, StringComparison.Ordinal);
        Assert.Null(WebhookCertificateIssuer.Problem(renewed, Loopback, _clock.GetUtcNow()));
    }

    [Fact]
    public async Task A_new_address_gets_a_new_serving_certificate()
    {
        await Source().EnsureAsync(Loopback, default);

        var (bundle, outcome) = await Source().EnsureAsync(["127.0.0.2"], default);

        Assert.Contains("does not name 127.0.0.2", outcome, StringComparison.Ordinal);
        Assert.Null(WebhookCertificateIssuer.Problem(bundle, ["127.0.0.2"], _clock.GetUtcNow()));
    }

    [Fact]
    public async Task A_damaged_store_is_replaced_with_new_certificates()
    {
        await Source().EnsureAsync(Loopback, default);
        await File.WriteAllTextAsync(Path.Combine(_folder, FolderCertificateStore.CaKeyFile), "not a key");

        var (bundle, outcome) = await Source().EnsureAsync(Loopback, default);

        Assert.Contains("new CA", outcome, StringComparison.Ordinal);
        Assert.Null(WebhookCertificateIssuer.Problem(bundle, Loopback, _clock.GetUtcNow()));
    }

    [Fact]
    public void A_serving_certificate_from_another_ca_is_not_reused()
    {
        var one = WebhookCertificateIssuer.Issue(Loopback, _clock.GetUtcNow());
        var other = WebhookCertificateIssuer.Issue(Loopback, _clock.GetUtcNow());

        Assert.Equal("the serving certificate is not signed by the stored CA",
            WebhookCertificateIssuer.Problem(one with { CertificatePem = other.CertificatePem, KeyPem = other.KeyPem }, Loopback, _clock.GetUtcNow()));
    }
}
