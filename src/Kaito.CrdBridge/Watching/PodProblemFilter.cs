using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Kaito.CrdBridge.Watching;

/// <summary>
/// Which pod events are worth a poke. A pod's readiness reaches the Workspace through its Deployment's status, so a
/// pod event matters only when the pod reports a problem the Deployment does not carry (a crash loop, an OOM kill, an
/// image pull failure) or stops reporting one, and once when it is first seen bound to a node (the end of the
/// WorkloadScheduled cold-start phase). Every other pod event (created, started, restarted) is left out, which saves
/// one reconcile per event at scale.
/// </summary>
public sealed class PodProblemFilter
{
    private static readonly HashSet<string> Benign = new(StringComparer.Ordinal) { "ContainerCreating", "PodInitializing" };

    private readonly ConcurrentDictionary<string, bool> _withProblem = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _scheduled = new(StringComparer.Ordinal);

    public bool IsWorthAPoke(ResourceEvent pod)
    {
        var uid = pod.Uid ?? pod.DisplayName;
        if (pod.Type == ResourceEventType.Deleted)
        {
            _withProblem.TryRemove(uid, out _);
            _scheduled.TryRemove(uid, out _);
            return false;
        }

        var newlyScheduled = IsScheduled(pod.Object) && _scheduled.TryAdd(uid, true);
        if (HasProblem(pod.Object))
        {
            _withProblem[uid] = true;
            return true;
        }

        return _withProblem.TryRemove(uid, out _) || newlyScheduled;
    }

    /// <summary>The scheduler bound the pod to a node: condition PodScheduled is True.</summary>
    public static bool IsScheduled(JsonObject pod) =>
        (pod["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .Any(c => c["type"]?.GetValue<string>() == "PodScheduled" && c["status"]?.GetValue<string>() == "True") == true;

    public static bool HasProblem(JsonObject pod)
    {
        if (pod["status"]?["phase"]?.GetValue<string>() == "Failed")
        {
            return true;
        }

        var statuses = new[] { "containerStatuses", "initContainerStatuses" }
            .SelectMany(k => (pod["status"]?[k] as JsonArray)?.OfType<JsonObject>() ?? []);
        return statuses.Any(c => c["ready"]?.GetValue<bool>() != true && (
            c["state"]?["waiting"]?["reason"]?.GetValue<string>() is { } waiting && !Benign.Contains(waiting)
            || c["state"]?["terminated"]?["reason"]?.GetValue<string>() is { } terminated && terminated != "Completed"
            || c["lastState"]?["terminated"]?["reason"]?.GetValue<string>() is "OOMKilled" or "Error"));
    }
}
