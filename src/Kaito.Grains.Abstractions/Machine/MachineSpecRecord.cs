using System.Collections.Immutable;

namespace Kaito.Grains.Machines;

/// <summary>What a GPU node must be: upstream's NodeClaim, turned by the provisioner into one AKS agent pool.</summary>
/// <param name="Labels">Node labels: the workspace's labelSelector plus the kaito.sh ownership labels.</param>
/// <param name="Taints">Node taints, e.g. <c>sku=gpu:NoSchedule</c>.</param>
/// <param name="StorageRequest">OS disk, e.g. <c>50Gi</c>.</param>
/// <param name="OwnerWorkspace">The owning Workspace's key, <c>namespace/name/uid</c>.</param>
/// <param name="NodeSelector">The workspace's labelSelector.matchLabels alone: what a bring-your-own node must carry.</param>
/// <param name="PreferredNodes">The workspace's resource.preferredNodes, taken first by a bring-your-own provisioner.</param>
/// <param name="WorkspaceNodeCount">The workspace's resource.count (0 when unknown), for messages.</param>
/// <remarks>
/// The last three came later: they are trailing and optional so that stored events without them still read (as empty
/// and 0), and the properties below turn a missing array or dictionary into an empty one. Orleans numbers primary
/// constructor parameters 1000 + position; the explicit properties keep those numbers.
/// </remarks>
[GenerateSerializer, Immutable, Alias("machine.spec")]
public sealed record MachineSpecRecord(
    string InstanceType,
    ImmutableDictionary<string, string> Labels,
    ImmutableArray<string> Taints,
    string StorageRequest,
    string OwnerWorkspace,
    ImmutableDictionary<string, string>? NodeSelector = null,
    ImmutableArray<string> PreferredNodes = default,
    int WorkspaceNodeCount = 0)
{
    [Id(1005)]
    public ImmutableDictionary<string, string> NodeSelector { get; init; } = NodeSelector ?? ImmutableDictionary<string, string>.Empty;

    [Id(1006)]
    public ImmutableArray<string> PreferredNodes { get; init; } = PreferredNodes.IsDefault ? [] : PreferredNodes;
}
