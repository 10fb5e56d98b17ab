using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Kaito.Silo.Webhooks;

/// <summary>Creates or updates both webhook configurations (server-side apply, field manager <c>kaito</c>) with the current CA bundle.</summary>
public sealed class WebhookConfigurationWriter(IKubernetes client)
{
    public const string FieldManager = "kaito";

    public async Task WriteAsync(AdmissionWebhookOptions options, string caBundlePem, CancellationToken cancellationToken)
    {
        await client.AdmissionregistrationV1.PatchMutatingWebhookConfigurationAsync(
            Apply(WebhookConfigurations.Mutating(options, caBundlePem)), options.ConfigurationName,
            fieldManager: FieldManager, force: true, cancellationToken: cancellationToken);
        await client.AdmissionregistrationV1.PatchValidatingWebhookConfigurationAsync(
            Apply(WebhookConfigurations.Validating(options, caBundlePem)), options.ConfigurationName,
            fieldManager: FieldManager, force: true, cancellationToken: cancellationToken);
    }

    private static V1Patch Apply(JsonObject configuration) => new(configuration.ToJsonString(), V1Patch.PatchType.ApplyPatch);
}
