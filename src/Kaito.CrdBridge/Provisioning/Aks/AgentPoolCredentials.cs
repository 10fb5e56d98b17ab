using Azure.Core;
using Azure.Identity;

namespace Kaito.CrdBridge.Provisioning.Aks;

/// <summary>The <see cref="TokenCredential"/> that <see cref="AgentPoolOptions.Credential"/> names.</summary>
public static class AgentPoolCredentials
{
    public static TokenCredential Create(AgentPoolOptions options) => options.Credential switch
    {
        AgentPoolCredentialKind.ServicePrincipal => new ClientSecretCredential(options.TenantId, options.ClientId, options.ClientSecret),
        AgentPoolCredentialKind.WorkloadIdentity => new WorkloadIdentityCredential(new WorkloadIdentityCredentialOptions
        {
            ClientId = options.ClientId ?? Environment.GetEnvironmentVariable("AZURE_CLIENT_ID"),
            TenantId = options.TenantId ?? Environment.GetEnvironmentVariable("AZURE_TENANT_ID"),
            TokenFilePath = options.TokenFilePath ?? Environment.GetEnvironmentVariable("AZURE_FEDERATED_TOKEN_FILE"),
        }),
        _ => new DefaultAzureCredential(),
    };
}
