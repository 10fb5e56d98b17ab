using System.Net;
using Kaito.Api.Validation;
using Kaito.Silo.Run;
using Microsoft.Extensions.Options;

namespace Kaito.Silo.Webhooks;

/// <summary>Refuses webhook settings that cannot work, naming each as the user would set it; nothing is checked when disabled.</summary>
public sealed class AdmissionWebhookOptionsValidator : IValidateOptions<AdmissionWebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, AdmissionWebhookOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        if (options.Port is < 1 or > 65535)
        {
            errors.Add($"Webhook:Port must be a TCP port (1-65535), not {options.Port}; set {Describe(nameof(options.Port))}.");
        }

        if (options.Mode is not (WebhookModes.Url or WebhookModes.Service))
        {
            errors.Add($"Webhook:Mode must be url or service, not \"{options.Mode}\"; set {Describe(nameof(options.Mode))}.");
        }

        if (options.Mode == WebhookModes.Url && !IPAddress.TryParse(options.Host, out _) && !IsDnsName(options.Host))
        {
            errors.Add($"Webhook:Host must be an IP address or a DNS name, not \"{options.Host}\"; set {Describe(nameof(options.Host))}.");
        }

        if (options.Mode == WebhookModes.Service)
        {
            foreach (var (key, value) in new[]
            {
                (nameof(options.ServiceName), options.ServiceName), (nameof(options.ServiceNamespace), options.ServiceNamespace),
                (nameof(options.SecretName), options.SecretName),
            })
            {
                if (Dns1123.CheckLabel(value) is { } problem)
                {
                    errors.Add($"Webhook:{key} \"{value}\": {problem}; set {Describe(key)}.");
                }
            }
        }

        if (!IsDnsName(options.ConfigurationName))
        {
            errors.Add($"Webhook:ConfigurationName must be a DNS subdomain (lower-case labels joined by dots), not \"{options.ConfigurationName}\"; set {Describe(nameof(options.ConfigurationName))}.");
        }

        if (options.TimeoutSeconds is < 1 or > 30)
        {
            errors.Add($"Webhook:TimeoutSeconds must be 1-30 (the API server's limit), not {options.TimeoutSeconds}; set {Describe(nameof(options.TimeoutSeconds))}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsDnsName(string value) =>
        value.Length is > 0 and <= 253 && value.Split('.').All(label => Dns1123.CheckLabel(label) is null);

    private static string Describe(string key) => RunSettings.Describe($"{AdmissionWebhookOptions.SectionName}:{key}");
}
