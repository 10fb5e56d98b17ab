using k8s.Models;

namespace Kaito.CrdBridge.Manifests;

/// <summary>The inference workload: a Deployment, or a StatefulSet behind the headless Service for a multi-node preset.
/// One replica per node (<c>resource.count</c>), as upstream.</summary>
internal static class InferenceWorkloads
{
    public static V1Deployment Deployment(ManifestContext context) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = OwnedMetadata.For(context, context.Name),
        Spec = new V1DeploymentSpec
        {
            Replicas = context.Spec.NodeCount,
            Selector = new V1LabelSelector { MatchLabels = context.SelectorLabels },
            Template = InferencePodTemplates.Build(context, NodePlacement.PreferOnePodPerNode),
        },
    };

    public static V1StatefulSet StatefulSet(ManifestContext context) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "StatefulSet",
        Metadata = OwnedMetadata.For(context, context.Name),
        Spec = new V1StatefulSetSpec
        {
            Replicas = context.Spec.NodeCount,
            ServiceName = context.HeadlessServiceName,
            // All ranks start together: rank 0 waits for the others, so ordered start would deadlock.
            PodManagementPolicy = "Parallel",
            Selector = new V1LabelSelector { MatchLabels = context.SelectorLabels },
            Template = InferencePodTemplates.Build(context, NodePlacement.RequireOnePodPerNode),
        },
    };
}
