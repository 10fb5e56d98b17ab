using System.Collections.Immutable;

namespace Kaito.Grains.Machines;

/// <summary>What a GPU node must be: upstream's NodeClaim, turned by the provisioner into one AKS agent pool.</summary>
/// <param name="Labels">Node labels: the workspace's labelSelector plus the kaito.sh ownership labels.</param>
/// <param name="Taints">Node taints, e.g. <c>sku=gpu:NoSchedule</c>.</param>
/// <param name="StorageRequest">OS disk, e.g. <c>50Gi</c>.</param>
/// <param name="OwnerWorkspace">The owning Workspace's key, <c>namespace/name</c>.</param>
[GenerateSerializer, Immutable, Alias("machine.spec")]
public sealed record MachineSpecRecord(
    string InstanceType,
    ImmutableDictionary<string, string> Labels,
    ImmutableArray<string> Taints,
    string StorageRequest,
    string OwnerWorkspace);
