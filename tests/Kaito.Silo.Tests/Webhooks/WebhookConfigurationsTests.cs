using System.Text;
using Kaito.Silo.Webhooks;

namespace Kaito.Silo.Tests.Webhooks;

public sealed class WebhookConfigurationsTests
{
    private const string Ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    [Fact]
    public void Url_mode_registers_only_workspace_creates_and_updates_on_loopback_and_ignores_a_silo_that_is_down()
    {
        var options = new AdmissionWebhookOptions { Enabled = true, Port = 9443 };

        var validating = WebhookConfigurations.Validating(options, Ca);
        var mutating = WebhookConfigurations.Mutating(options, Ca);

        var webhook = validating["webhooks"]![0]!;
        Assert.Equal("ValidatingWebhookConfiguration", validating["kind"]!.GetValue<string>());
        Assert.Equal("https://127.0.0.1:9443/validate", webhook["clientConfig"]!["url"]!.GetValue<string>());
        Assert.Equal(Ca, Encoding.UTF8.GetString(Convert.FromBase64String(webhook["clientConfig"]!["caBundle"]!.GetValue<string>())));
        Assert.Equal("""{"apiGroups":["kaito.sh"],"apiVersions":["v1alpha1"],"operations":["CREATE","UPDATE"],"resources":["workspaces"],"scope":"Namespaced"}""",
            webhook["rules"]!.AsArray().Single()!.ToJsonString());
        Assert.Equal("Ignore", webhook["failurePolicy"]!.GetValue<string>());
        Assert.Equal(5, webhook["timeoutSeconds"]!.GetValue<int>());
        Assert.Equal("None", webhook["sideEffects"]!.GetValue<string>());
        Assert.Equal("https://127.0.0.1:9443/mutate", mutating["webhooks"]![0]!["clientConfig"]!["url"]!.GetValue<string>());
        Assert.Equal("Never", mutating["webhooks"]![0]!["reinvocationPolicy"]!.GetValue<string>());
    }

    [Fact]
    public void Service_mode_calls_the_service_and_the_certificate_names_it()
    {
        var options = new AdmissionWebhookOptions { Enabled = true, Mode = WebhookModes.Service, ServiceName = "kaito", ServiceNamespace = "kaito-system", Port = 8443 };

        var client = WebhookConfigurations.Mutating(options, Ca)["webhooks"]![0]!["clientConfig"]!;

        Assert.Null(client["url"]);
        Assert.Equal("""{"name":"kaito","namespace":"kaito-system","path":"/mutate","port":8443}""", client["service"]!.ToJsonString());
        Assert.Contains("kaito.kaito-system.svc", options.ServingNames);
    }

    [Theory]
    [InlineData("Port", "0", "Webhook:Port must be a TCP port (1-65535), not 0; set --webhook-port, KAITO_WEBHOOK__PORT")]
    [InlineData("Mode", "grpc", "Webhook:Mode must be url or service, not \"grpc\"; set --webhook-mode")]
    [InlineData("Host", "not a host", "Webhook:Host must be an IP address or a DNS name")]
    [InlineData("TimeoutSeconds", "31", "Webhook:TimeoutSeconds must be 1-30")]
    public void Bad_settings_are_refused_naming_the_setting(string key, string value, string expected)
    {
        var options = new AdmissionWebhookOptions { Enabled = true };
        typeof(AdmissionWebhookOptions).GetProperty(key)!.SetValue(options, key is "Port" or "TimeoutSeconds" ? int.Parse(value) : value);

        var result = new AdmissionWebhookOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Disabled_webhooks_check_nothing()
    {
        Assert.True(new AdmissionWebhookOptionsValidator().Validate(null, new AdmissionWebhookOptions { Port = 0, Mode = "x" }).Succeeded);
    }
}
