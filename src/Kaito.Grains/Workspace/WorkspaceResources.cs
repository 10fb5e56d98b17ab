using Kaito.Grains.Machines;
using Kaito.Grains.Ports;

namespace Kaito.Grains.Workspaces;

/// <summary>What a Workspace owns in the cluster and the cloud, as upstream shapes it; pure functions of the spec.</summary>
public static class WorkspaceResources
{
    /// <summary>A NodeClaim-like machine: the workspace's labels plus upstream's ownership labels and the GPU taint.</summary>
    public static MachineSpecRecord MachineSpec(WorkspaceKey key, WorkspaceSpecRecord spec)
    {
        var labels = spec.NodeLabels
            .SetItem("kaito.sh/workspace", key.Name)
            .SetItem("kaito.sh/workspacenamespace", key.Namespace)
            .SetItem("karpenter.sh/nodepool", "kaito");
        return new MachineSpecRecord(spec.InstanceType, labels, ["sku=gpu:NoSchedule"], spec.StorageRequest, key.ToString(),
            spec.NodeLabels, spec.PreferredNodes.IsDefault ? [] : spec.PreferredNodes, spec.NodeCount);
    }

    /// <summary>The objects of the workload, in apply order; the last one is the one whose readiness counts.</summary>
    public static string[] WorkloadKinds(WorkspaceSpecRecord spec) => spec switch
    {
        { Mode: WorkspaceMode.Tuning } => [KubernetesKinds.Job],
        { Distributed: true } => [KubernetesKinds.Service, KubernetesKinds.HeadlessService, KubernetesKinds.StatefulSet],
        _ => [KubernetesKinds.Service, KubernetesKinds.Deployment],
    };
}
