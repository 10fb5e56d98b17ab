using k8s;

namespace Kaito.Failover.Bench;

/// <summary>The uid of every Deployment, Service and ControllerRevision labelled <c>kaito.sh/workspace</c> in the bench
/// namespace, with the workspace it belongs to: an object created twice shows as a second object or a new uid.</summary>
internal sealed record OwnedObjects(IReadOnlyDictionary<string, (string Workspace, string Uid)> Objects)
{
    private const string Label = "kaito.sh/workspace";

    public static async Task<OwnedObjects> TakeAsync(IKubernetes client, string ns)
    {
        var objects = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var o in (await client.AppsV1.ListNamespacedDeploymentAsync(ns, labelSelector: Label)).Items)
        {
            objects[$"Deployment {o.Metadata.Name}"] = (o.Metadata.Labels[Label], o.Metadata.Uid);
        }

        foreach (var o in (await client.CoreV1.ListNamespacedServiceAsync(ns, labelSelector: Label)).Items)
        {
            objects[$"Service {o.Metadata.Name}"] = (o.Metadata.Labels[Label], o.Metadata.Uid);
        }

        foreach (var o in (await client.AppsV1.ListNamespacedControllerRevisionAsync(ns, labelSelector: Label)).Items)
        {
            objects[$"ControllerRevision {o.Metadata.Name}"] = (o.Metadata.Labels[Label], o.Metadata.Uid);
        }

        return new OwnedObjects(objects);
    }

    /// <summary>Objects beyond one of each kind per workspace.</summary>
    public int Extra => Objects.GroupBy(o => (o.Key.Split(' ')[0], o.Value.Workspace)).Sum(g => g.Count() - 1);

    /// <summary>Objects of <paramref name="before"/> now gone or with another uid (deleted and created again).</summary>
    public int RecreatedSince(OwnedObjects before) =>
        before.Objects.Count(o => Objects.GetValueOrDefault(o.Key).Uid != o.Value.Uid);
}
