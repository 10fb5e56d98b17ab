namespace Kaito.CrdBridge.Watching;

/// <summary>
/// A collection the bridge lists and watches: <c>/api/v1/pods</c>, <c>/apis/apps/v1/deployments</c>, a custom resource.
/// </summary>
/// <param name="Group">The API group; empty for the core group.</param>
/// <param name="Kind">The lower-case singular kind, used in watch causes (<c>watch:deployment-modified</c>) and logs.</param>
/// <param name="Namespace">Only this namespace; null for all namespaces (and for cluster-scoped resources).</param>
/// <param name="LabelSelector">A label selector in Kubernetes syntax, e.g. <c>kaito.sh/workspace</c> (the label exists).</param>
public sealed record WatchedResource(string Group, string Version, string Plural, string Kind, string? Namespace = null, string? LabelSelector = null)
{
    public const string WorkspaceLabel = "kaito.sh/workspace";
    /// <summary>The label a bring-your-own provisioner puts on the node it claims for a machine.</summary>
    public const string ClaimedNodeLabel = "kaito.sh/machine";

    public const string WorkspaceNamespaceLabel = "kaito.sh/workspacenamespace";

    /// <summary>The collection's path relative to the API server's base address.</summary>
    public string CollectionPath =>
        (Group.Length == 0 ? $"api/{Version}" : $"apis/{Group}/{Version}")
        + (Namespace is null ? "" : $"/namespaces/{Uri.EscapeDataString(Namespace)}")
        + "/" + Plural;

    public static WatchedResource Workspaces(string? ns) => new("kaito.sh", "v1alpha1", "workspaces", "workspace", ns);

    public static WatchedResource Deployments(string? ns) => new("apps", "v1", "deployments", "deployment", ns, WorkspaceLabel);

    public static WatchedResource StatefulSets(string? ns) => new("apps", "v1", "statefulsets", "statefulset", ns, WorkspaceLabel);

    public static WatchedResource Jobs(string? ns) => new("batch", "v1", "jobs", "job", ns, WorkspaceLabel);

    public static WatchedResource Pods(string? ns) => new("", "v1", "pods", "pod", ns, WorkspaceLabel);

    public static WatchedResource Nodes() => new("", "v1", "nodes", "node", null, WorkspaceLabel);

    /// <summary>Bring-your-own nodes claimed by a machine (<c>kaito.sh/machine</c>): they carry no workspace label.</summary>
    public static WatchedResource ClaimedNodes() => new("", "v1", "nodes", "node", null, ClaimedNodeLabel);

    /// <summary>Karpenter NodeClaims (cluster-scoped; the CRD may be absent).</summary>
    public static WatchedResource NodeClaims() => new("karpenter.sh", "v1", "nodeclaims", "nodeclaim", null, WorkspaceLabel);

    /// <summary>Karpenter's older Machines (cluster-scoped; the CRD may be absent).</summary>
    public static WatchedResource Machines() => new("karpenter.sh", "v1alpha5", "machines", "machine", null, WorkspaceLabel);

    public override string ToString() => (Group.Length == 0 ? Version : $"{Group}/{Version}") + "/" + Plural
        + (Namespace is null ? "" : $" in {Namespace}") + (LabelSelector is null ? "" : $" [{LabelSelector}]");
}
