using k8s.Models;
using Kaito.Api.Validation;

namespace Kaito.CrdBridge.Manifests;

/// <summary>Where a workspace's pods may run: its GPU nodes only, through their taints, one pod per node.</summary>
internal static class NodePlacement
{
    public const string HostnameLabel = "kubernetes.io/hostname";

    /// <summary>Required node affinity: the labelSelector's labels (matchLabels and single-value "In" expressions, the
    /// only ones admission accepts) and, once known, the worker nodes by name.</summary>
    public static void RequireWorkspaceNodes(ManifestContext context, V1PodSpec pod)
    {
        var requirements = (LabelSelectorLabels.Of(context.Workspace.Resource?.LabelSelector) ?? new Dictionary<string, string>())
            .OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => new V1NodeSelectorRequirement { Key = l.Key, OperatorProperty = "In", Values = [l.Value] })
            .ToList();
        if (context.WorkerNodes.Count > 0)
        {
            requirements.Add(new V1NodeSelectorRequirement { Key = HostnameLabel, OperatorProperty = "In", Values = [.. context.WorkerNodes] });
        }

        if (requirements.Count == 0)
        {
            return;
        }

        pod.Affinity ??= new V1Affinity();
        pod.Affinity.NodeAffinity = new V1NodeAffinity
        {
            RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector { NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = requirements }] },
        };
    }

    /// <summary>GPU nodes carry the device plugin's taint and the provisioner's <c>sku=gpu:NoSchedule</c>.</summary>
    public static void TolerateGpuTaints(ManifestContext context, V1PodSpec pod)
    {
        pod.Tolerations ??= [];
        pod.Tolerations.Add(new V1Toleration { Effect = "NoSchedule", Key = GpuResources.ResourceName, OperatorProperty = "Exists" });
        pod.Tolerations.Add(new V1Toleration { Effect = "NoSchedule", Key = "sku", OperatorProperty = "Equal", Value = "gpu" });
    }

    /// <summary>Replicas of a Deployment prefer different nodes (each asks for a whole node's GPUs anyway).</summary>
    public static void PreferOnePodPerNode(ManifestContext context, V1PodSpec pod)
    {
        pod.Affinity ??= new V1Affinity();
        pod.Affinity.PodAntiAffinity = new V1PodAntiAffinity
        {
            PreferredDuringSchedulingIgnoredDuringExecution =
            [
                new V1WeightedPodAffinityTerm { PodAffinityTerm = OnePerNode(context), Weight = 100 },
            ],
        };
    }

    /// <summary>Ranks of a distributed model must be on different nodes.</summary>
    public static void RequireOnePodPerNode(ManifestContext context, V1PodSpec pod)
    {
        pod.Affinity ??= new V1Affinity();
        pod.Affinity.PodAntiAffinity = new V1PodAntiAffinity
        {
            RequiredDuringSchedulingIgnoredDuringExecution =
            [
                OnePerNode(context),
            ],
        };
    }

    private static V1PodAffinityTerm OnePerNode(ManifestContext context) => new()
    {
        TopologyKey = HostnameLabel,
        LabelSelector = new V1LabelSelector { MatchLabels = context.SelectorLabels },
    };
}
