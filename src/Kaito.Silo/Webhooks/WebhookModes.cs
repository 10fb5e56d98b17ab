namespace Kaito.Silo.Webhooks;

/// <summary>How the API server reaches the webhooks: <see cref="AdmissionWebhookOptions.Mode"/>.</summary>
public static class WebhookModes
{
    public const string Url = "url";
    public const string Service = "service";
}
