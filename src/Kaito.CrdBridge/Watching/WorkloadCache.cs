using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Kaito.CrdBridge.Watching;

/// <summary>
/// What the workload watches last saw of each Deployment, StatefulSet, Job and Pod labelled for a workspace, as a
/// controller's informer keeps it: the object port reads workloads and their pods from here instead of asking the API
/// server on every reconcile. An object the cache does not hold is read from the API server (it may be newer than the
/// watch), so a cache miss is never mistaken for a deleted object.
/// </summary>
public sealed class WorkloadCache
{
    private readonly ConcurrentDictionary<(string Plural, string Namespace, string Name), JsonObject> _objects = new();
    private volatile bool _podsListed;

    /// <summary>The pod watch has delivered its first list: from now on, no pod in the cache means no pod at all.</summary>
    public void PodsListed() => _podsListed = true;

    /// <summary>Keeps what a watch event says; called before the event pokes anyone, so a poked grain reads it.</summary>
    public void Apply(string plural, ResourceEvent resourceEvent)
    {
        if (resourceEvent is not { Namespace: { } ns, Name: { } name })
        {
            return;
        }

        if (resourceEvent.Type == ResourceEventType.Deleted)
        {
            _objects.TryRemove((plural, ns, name), out _);
        }
        else
        {
            _objects[(plural, ns, name)] = resourceEvent.Object;
        }
    }

    public T? Find<T>(string plural, string ns, string name)
        where T : class =>
        _objects.TryGetValue((plural, ns, name), out var obj) ? KubernetesJson.Deserialize<T>(obj.ToJsonString()) : null;

    /// <summary>The pods labelled for a workspace in its namespace; null until the pod watch has listed them.</summary>
    public IReadOnlyList<V1Pod>? PodsOf(string ns, string workspaceName)
    {
        var pods = _objects
            .Where(p => p.Key.Plural == "pods" && p.Key.Namespace == ns
                && p.Value["metadata"]?["labels"]?[WatchedResource.WorkspaceLabel]?.GetValue<string>() == workspaceName)
            .Select(p => KubernetesJson.Deserialize<V1Pod>(p.Value.ToJsonString()))
            .ToList();
        return _podsListed ? pods : null;
    }
}
