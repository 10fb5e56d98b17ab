using k8s;

namespace Kaito.ControlPlane.Bench;

/// <summary>The resourceVersion of every object the control plane owns or writes in the bench namespace (Workspaces,
/// Deployments, Services, ControllerRevisions), of every Node and of the Workspace CRD: any write changes one.</summary>
internal sealed record ClusterSnapshot(IReadOnlyDictionary<string, string> Versions)
{
    public static async Task<ClusterSnapshot> TakeAsync(IKubernetes client, string ns)
    {
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        Add("Workspace", (await BenchWorkspaces.ListAsync(client, ns)).Select(w => (w.Metadata.Name, w.Metadata.ResourceVersion)));
        Add("Deployment", (await client.AppsV1.ListNamespacedDeploymentAsync(ns)).Items.Select(o => (o.Metadata.Name, o.Metadata.ResourceVersion)));
        Add("Service", (await client.CoreV1.ListNamespacedServiceAsync(ns)).Items.Select(o => (o.Metadata.Name, o.Metadata.ResourceVersion)));
        Add("ControllerRevision", (await client.AppsV1.ListNamespacedControllerRevisionAsync(ns)).Items.Select(o => (o.Metadata.Name, o.Metadata.ResourceVersion)));
        Add("Node", (await client.CoreV1.ListNodeAsync()).Items.Select(o => (o.Metadata.Name, o.Metadata.ResourceVersion)));
        var crd = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("workspaces.kaito.sh");
        Add("CustomResourceDefinition", [(crd.Metadata.Name, crd.Metadata.ResourceVersion)]);
        return new ClusterSnapshot(versions);

        void Add(string kind, IEnumerable<(string Name, string Version)> items)
        {
            foreach (var (name, version) in items)
            {
                versions[$"{kind} {name}"] = version;
            }
        }
    }

    /// <summary>Objects added, removed or changed since <paramref name="before"/>, counted by kind.</summary>
    public IReadOnlyDictionary<string, int> ChangedSince(ClusterSnapshot before) =>
        Versions.Keys.Union(before.Versions.Keys)
            .Where(k => Versions.GetValueOrDefault(k) != before.Versions.GetValueOrDefault(k))
            .GroupBy(k => k.Split(' ')[0])
            .ToDictionary(g => g.Key, g => g.Count());
}
