namespace Kaito.CrdBridge.Provisioning;

/// <summary>Which <see cref="Kaito.Grains.Ports.INodeProvisioner"/> gets GPU nodes for machines.</summary>
public enum NodeProvisionerKind
{
    /// <summary>A Karpenter <c>karpenter.sh/v1</c> NodeClaim per machine (Karpenter, or Azure gpu-provisioner).</summary>
    NodeClaim,

    /// <summary>A legacy <c>karpenter.sh/v1alpha5</c> Machine per machine (gpu-provisioner before NodeClaims).</summary>
    Machine,

    /// <summary>Bring your own nodes: claim existing Nodes that match the labelSelector; never create or delete any.</summary>
    Byo,

    /// <summary>An AKS agent pool per machine, created through Azure Resource Manager (no gpu-provisioner).</summary>
    AgentPool,
}
