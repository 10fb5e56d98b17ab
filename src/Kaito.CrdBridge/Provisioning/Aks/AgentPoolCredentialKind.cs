namespace Kaito.CrdBridge.Provisioning.Aks;

/// <summary>How the agent-pool provisioner signs in to Azure Resource Manager.</summary>
public enum AgentPoolCredentialKind
{
    /// <summary><c>DefaultAzureCredential</c>: environment, workload identity, managed identity, Azure CLI, in that order.</summary>
    Default,

    /// <summary>AKS workload identity: a federated token file (<c>AZURE_FEDERATED_TOKEN_FILE</c>) for the client id.</summary>
    WorkloadIdentity,

    /// <summary>A service principal: tenant id, client id and client secret.</summary>
    ServicePrincipal,
}
