namespace Kaito.CrdBridge.Manifests;

/// <summary>Upstream's label and annotation keys on what a Workspace owns; scripts and dashboards select by them.</summary>
public static class KaitoLabels
{
    public const string WorkspaceName = "kaito.sh/workspace";
    public const string WorkspaceNamespace = "kaito.sh/workspacenamespace";
    public const string RevisionHashAnnotation = "workspace.kaito.io/hash";
    public const string RevisionAnnotation = "workspace.kaito.io/revision";

    /// <summary>On the Workspace: <c>"True"</c> makes the Service a LoadBalancer.</summary>
    public const string EnableLoadBalancerAnnotation = "kaito.sh/enablelb";
}
