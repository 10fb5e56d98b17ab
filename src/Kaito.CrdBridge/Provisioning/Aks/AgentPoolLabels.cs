namespace Kaito.CrdBridge.Provisioning.Aks;

/// <summary>The labels that tie an agent pool and its node to a machine.</summary>
public static class AgentPoolLabels
{
    public const string Workspace = "kaito.sh/workspace";
    public const string WorkspaceNamespace = "kaito.sh/workspacenamespace";
    public const string MachineType = "kaito.sh/machine-type";

    /// <summary>The machine a pool belongs to, read by the orphan collection (pool names may be folded).</summary>
    public const string MachineName = "kaito.sh/machine-name";

    /// <summary>gpu-provisioner's creation time label, <c>2006-01-02T15-04-05Z</c>: label values allow no ':'.</summary>
    public const string CreationTimestamp = "kaito.sh/creation-timestamp";

    /// <summary>What AKS puts on every node of a pool (both spellings, as gpu-provisioner looks them up).</summary>
    public const string AgentPool = "agentpool";
    public const string AksAgentPool = "kubernetes.azure.com/agentpool";

    public const string CreationTimestampFormat = "yyyy-MM-dd'T'HH-mm-ss'Z'";
}
