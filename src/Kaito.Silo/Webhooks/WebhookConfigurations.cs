using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Kaito.Silo.Webhooks;

/// <summary>
/// The ValidatingWebhookConfiguration and MutatingWebhookConfiguration the silo registers, pure. Both match only
/// CREATE and UPDATE of kaito.sh/v1alpha1 workspaces (never DELETE, never another kind), with a timeout and
/// <c>failurePolicy: Ignore</c>: a silo that is down or slow delays nothing and blocks nothing, not even the update
/// that removes a finalizer, and the grains check every spec again before acting on it.
/// </summary>
public static class WebhookConfigurations
{
    public const string ValidatePath = "/validate";
    public const string MutatePath = "/mutate";
    public const string ValidatingWebhookName = "validate.workspaces.kaito.sh";
    public const string MutatingWebhookName = "default.workspaces.kaito.sh";
    public const string FailurePolicy = "Ignore";

    public static JsonObject Validating(AdmissionWebhookOptions options, string caBundlePem) =>
        Configuration("ValidatingWebhookConfiguration", options, Webhook(ValidatingWebhookName, ValidatePath, options, caBundlePem));

    public static JsonObject Mutating(AdmissionWebhookOptions options, string caBundlePem)
    {
        var webhook = Webhook(MutatingWebhookName, MutatePath, options, caBundlePem);
        webhook["reinvocationPolicy"] = "Never";
        return Configuration("MutatingWebhookConfiguration", options, webhook);
    }

    /// <summary>url mode: <c>https://127.0.0.1:9443/validate</c> (IPv6 in brackets).</summary>
    public static string Url(AdmissionWebhookOptions options, string path)
    {
        var host = IPAddress.TryParse(options.Host, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{options.Host}]" : options.Host;
        return $"https://{host}:{options.Port}{path}";
    }

    private static JsonObject Configuration(string kind, AdmissionWebhookOptions options, JsonObject webhook) => new()
    {
        ["apiVersion"] = "admissionregistration.k8s.io/v1",
        ["kind"] = kind,
        ["metadata"] = new JsonObject
        {
            ["name"] = options.ConfigurationName,
            ["labels"] = new JsonObject { ["app.kubernetes.io/managed-by"] = "kaito" },
        },
        ["webhooks"] = new JsonArray(webhook),
    };

    private static JsonObject Webhook(string name, string path, AdmissionWebhookOptions options, string caBundlePem)
    {
        var clientConfig = new JsonObject { ["caBundle"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(caBundlePem)) };
        if (options.Mode == WebhookModes.Service)
        {
            clientConfig["service"] = new JsonObject
            {
                ["name"] = options.ServiceName,
                ["namespace"] = options.ServiceNamespace,
                ["path"] = path,
                ["port"] = options.Port,
            };
        }
        else
        {
            clientConfig["url"] = Url(options, path);
        }

        return new JsonObject
        {
            ["name"] = name,
            ["admissionReviewVersions"] = new JsonArray("v1"),
            ["clientConfig"] = clientConfig,
            ["rules"] = new JsonArray(new JsonObject
            {
                ["apiGroups"] = new JsonArray("kaito.sh"),
                ["apiVersions"] = new JsonArray("v1alpha1"),
                ["operations"] = new JsonArray("CREATE", "UPDATE"),
                ["resources"] = new JsonArray("workspaces"),
                ["scope"] = "Namespaced",
            }),
            ["failurePolicy"] = FailurePolicy,
            ["matchPolicy"] = "Equivalent",
            ["sideEffects"] = "None",
            ["timeoutSeconds"] = options.TimeoutSeconds,
        };
    }
}
