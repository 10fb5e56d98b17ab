using Kaito.Silo.Audit;

namespace Kaito.Silo.Tests.Audit;

public sealed class AuditOptionsValidatorTests
{
    private static readonly AuditOptionsValidator Validator = new();

    [Fact]
    public void The_default_is_enabled_on_loopback_without_a_token()
    {
        var options = new AuditOptions();

        Assert.True(options.Enabled);
        Assert.Equal("http://127.0.0.1:8089", options.Url);
        Assert.True(Validator.Validate(null, options).Succeeded);
        Assert.True(AuditEndpointAddress.TryParse(options.Url, out _)!.IsLoopback);
    }

    [Theory]
    [InlineData("http://0.0.0.0:8089")]
    [InlineData("http://*:8089")]
    [InlineData("http://10.1.2.3:8089")]
    public void Listening_beyond_loopback_without_a_token_is_refused_naming_the_setting(string url)
    {
        var result = Validator.Validate(null, new AuditOptions { Url = url });

        Assert.True(result.Failed);
        Assert.StartsWith("Audit:Token is required when the audit API listens beyond loopback", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("--audit-token, KAITO_AUDIT__TOKEN", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:8089")]
    [InlineData("http://[::1]:8089")]
    public void Loopback_names_need_no_token(string url) =>
        Assert.True(Validator.Validate(null, new AuditOptions { Url = url }).Succeeded);

    [Fact]
    public void Listening_beyond_loopback_with_a_token_is_allowed() =>
        Assert.True(Validator.Validate(null, new AuditOptions { Url = "http://*:8089", Token = "t0ken" }).Succeeded);

    [Theory]
    [InlineData("https://127.0.0.1:8089")]
    [InlineData("http://audit.example:8089")]
    [InlineData("127.0.0.1:8089")]
    [InlineData("http://127.0.0.1:8089/audit")]
    public void An_address_that_cannot_be_listened_on_is_named(string url)
    {
        var result = Validator.Validate(null, new AuditOptions { Url = url });

        Assert.True(result.Failed);
        Assert.StartsWith($"Audit:Url \"{url}\" must", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_is_checked_when_disabled() =>
        Assert.True(Validator.Validate(null, new AuditOptions { Enabled = false, Url = "http://0.0.0.0:1" }).Succeeded);

    [Theory]
    [InlineData("pull failed: password=hunter2 for registry", "pull failed: password=*** for registry")]
    [InlineData("Authorization: Bearer abc.def", "Authorization: Bearer ***")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0;", "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=***;")]
    [InlineData("machine ws0123 ready as node aks-gpu-1", "machine ws0123 ready as node aks-gpu-1")]
    public void Summaries_never_carry_credential_values(string summary, string shown) =>
        Assert.Equal(shown, SecretRedaction.Redact(summary));
}
