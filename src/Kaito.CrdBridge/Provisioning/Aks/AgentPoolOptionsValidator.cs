using Microsoft.Extensions.Options;

namespace Kaito.CrdBridge.Provisioning.Aks;

/// <summary>Fails at start, naming the setting, when the agent-pool provisioner is chosen but cannot reach its cluster.</summary>
public sealed class AgentPoolOptionsValidator(IOptions<NodeProvisionerOptions> provisioner) : IValidateOptions<AgentPoolOptions>
{
    private static readonly string[] OsSkus = ["Ubuntu", "AzureLinux"];

    public ValidateOptionsResult Validate(string? name, AgentPoolOptions options)
    {
        if (provisioner.Value.Kind != NodeProvisionerKind.AgentPool)
        {
            return ValidateOptionsResult.Skip;
        }

        const string Section = AgentPoolOptions.SectionName;
        var errors = new List<string>();
        if (!Guid.TryParse(options.SubscriptionId, out _))
        {
            errors.Add($"{Section}:SubscriptionId must be the cluster's subscription id (a GUID), not \"{options.SubscriptionId}\".");
        }

        foreach (var (setting, value) in new[] { ("ResourceGroup", options.ResourceGroup), ("ClusterName", options.ClusterName), ("Location", options.Location) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"{Section}:{setting} must be set: the AKS cluster whose agent pools Kaito creates.");
            }
        }

        if (!options.Endpoint.IsAbsoluteUri || options.Endpoint.Scheme != Uri.UriSchemeHttps)
        {
            errors.Add($"{Section}:Endpoint must be an absolute https URL, not \"{options.Endpoint}\".");
        }

        errors.AddRange(CredentialErrors(options));
        if (!OsSkus.Contains(options.OsSku, StringComparer.Ordinal))
        {
            errors.Add($"{Section}:OsSku must be Ubuntu or AzureLinux, not \"{options.OsSku}\".");
        }

        if (options.MaxRetries < 0 || options.RetryDelay <= TimeSpan.Zero || options.MaxRetryDelay < options.RetryDelay || options.DefaultPollInterval <= TimeSpan.Zero)
        {
            errors.Add($"{Section}: MaxRetries must be >= 0, RetryDelay and DefaultPollInterval positive, MaxRetryDelay >= RetryDelay.");
        }

        if (options.OrphanCollectionInterval < TimeSpan.Zero || options.OrphanGracePeriod < TimeSpan.Zero)
        {
            errors.Add($"{Section}:OrphanCollectionInterval and OrphanGracePeriod must not be negative.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static IEnumerable<string> CredentialErrors(AgentPoolOptions options)
    {
        const string Section = AgentPoolOptions.SectionName;
        if (!Enum.IsDefined(options.Credential))
        {
            yield return $"{Section}:Credential must be one of {string.Join(", ", Enum.GetNames<AgentPoolCredentialKind>())}.";
        }

        if (options.Credential == AgentPoolCredentialKind.ServicePrincipal)
        {
            foreach (var (setting, value) in new[] { ("TenantId", options.TenantId), ("ClientId", options.ClientId), ("ClientSecret", options.ClientSecret) })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    yield return $"{Section}:{setting} must be set when {Section}:Credential is ServicePrincipal.";
                }
            }
        }

        if (options.Credential == AgentPoolCredentialKind.WorkloadIdentity)
        {
            if (string.IsNullOrWhiteSpace(options.ClientId ?? Environment.GetEnvironmentVariable("AZURE_CLIENT_ID")))
            {
                yield return $"{Section}:ClientId (or AZURE_CLIENT_ID) must be set when {Section}:Credential is WorkloadIdentity.";
            }

            if (string.IsNullOrWhiteSpace(options.TenantId ?? Environment.GetEnvironmentVariable("AZURE_TENANT_ID")))
            {
                yield return $"{Section}:TenantId (or AZURE_TENANT_ID) must be set when {Section}:Credential is WorkloadIdentity.";
            }

            if (string.IsNullOrWhiteSpace(options.TokenFilePath ?? Environment.GetEnvironmentVariable("AZURE_FEDERATED_TOKEN_FILE")))
            {
                yield return $"{Section}:TokenFilePath (or AZURE_FEDERATED_TOKEN_FILE, set by the AKS workload identity webhook) must be set when {Section}:Credential is WorkloadIdentity.";
            }
        }
    }
}
