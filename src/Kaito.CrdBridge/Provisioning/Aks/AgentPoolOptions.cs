namespace Kaito.CrdBridge.Provisioning.Aks;

/// <summary>
/// The managed cluster whose agent pools the <see cref="AgentPoolProvisioner"/> creates, and how it talks to Azure
/// Resource Manager. Bound from the <c>NodeProvisioner:AgentPool</c> section; checked at start when
/// <c>NodeProvisioner:Kind</c> is <c>AgentPool</c>.
/// </summary>
public sealed class AgentPoolOptions
{
    public const string SectionName = "NodeProvisioner:AgentPool";

    /// <summary>The ARM API version of agentPools and their operations (gpu-provisioner's, armcontainerservice v4).</summary>
    public const string ApiVersion = "2024-01-01";

    public string? SubscriptionId { get; set; }

    public string? ResourceGroup { get; set; }

    /// <summary>The AKS managed cluster the pools join.</summary>
    public string? ClusterName { get; set; }

    /// <summary>The cluster's region, e.g. <c>westus2</c>: where vCPU quota and SKU availability are read.</summary>
    public string? Location { get; set; }

    /// <summary>Azure Resource Manager; another cloud's (or a loopback imitation's) for tests. Must be https.</summary>
    public Uri Endpoint { get; set; } = new("https://management.azure.com/");

    /// <summary>The token audience of <see cref="Endpoint"/>.</summary>
    public string Audience { get; set; } = "https://management.azure.com/";

    public AgentPoolCredentialKind Credential { get; set; } = AgentPoolCredentialKind.Default;

    /// <summary>Entra tenant (service principal, workload identity).</summary>
    public string? TenantId { get; set; }

    /// <summary>Application (client) id (service principal, workload identity).</summary>
    public string? ClientId { get; set; }

    /// <summary>Service principal secret; prefer the KAITO_NODEPROVISIONER__AGENTPOOL__CLIENTSECRET variable to a file.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Workload identity token file; <c>AZURE_FEDERATED_TOKEN_FILE</c> (set by the AKS webhook) when empty.</summary>
    public string? TokenFilePath { get; set; }

    /// <summary><c>Ubuntu</c> or <c>AzureLinux</c>.</summary>
    public string OsSku { get; set; } = "Ubuntu";

    /// <summary>Read the region's vCPU usage and limit of the SKU's family before creating a pool.</summary>
    public bool CheckQuota { get; set; } = true;

    /// <summary>
    /// A pool deleted behind Kaito's back while its machine waits for the node: true retries the attempt (a new pool),
    /// false fails the machine.
    /// </summary>
    public bool RecreateDeletedPools { get; set; } = true;

    /// <summary>Retries of one request on 429 and 5xx (Retry-After honoured, else exponential backoff).</summary>
    public int MaxRetries { get; set; } = 5;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait between operation polls when ARM sends no Retry-After.</summary>
    public TimeSpan DefaultPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often pools of machines that no longer exist are looked for; zero turns the collection off.</summary>
    public TimeSpan OrphanCollectionInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A pool younger than this is never collected (its machine may not be recorded yet).</summary>
    public TimeSpan OrphanGracePeriod { get; set; } = TimeSpan.FromMinutes(10);
}
