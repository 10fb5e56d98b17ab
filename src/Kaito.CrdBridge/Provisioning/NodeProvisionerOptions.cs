namespace Kaito.CrdBridge.Provisioning;

/// <summary>How machines get their nodes. Bound from the <c>NodeProvisioner</c> configuration section.</summary>
public sealed class NodeProvisionerOptions
{
    public const string SectionName = "NodeProvisioner";

    public NodeProvisionerKind Kind { get; set; } = NodeProvisionerKind.NodeClaim;

    /// <summary>NodeClaim <c>spec.nodeClassRef.group</c>; upstream's default on Azure.</summary>
    public string NodeClassGroup { get; set; } = "kaito.sh";

    /// <summary>NodeClaim <c>spec.nodeClassRef.kind</c>, e.g. <c>KaitoNodeClass</c>, <c>AKSNodeClass</c>, <c>EC2NodeClass</c>.</summary>
    public string NodeClassKind { get; set; } = "KaitoNodeClass";

    /// <summary>NodeClaim <c>spec.nodeClassRef.name</c>.</summary>
    public string NodeClassName { get; set; } = "default";

    /// <summary>The <c>kaito.sh/node-image-family</c> annotation (<c>ubuntu</c> or <c>azurelinux</c>); empty leaves it off.</summary>
    public string NodeImageFamily { get; set; } = "ubuntu";

    /// <summary>A second instance-type requirement key (Azure Karpenter's); empty leaves it off, e.g. on AWS.</summary>
    public string SkuNameRequirementKey { get; set; } = "karpenter.azure.com/sku-name";
}
