using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Kaito.CrdBridge.Watching;

/// <summary>
/// Which pod events are worth a poke. A pod's readiness reaches the Workspace through its Deployment's status, so a
/// pod event matters only when the pod reports a problem the Deployment does not carry (a crash loop, an OOM kill, an
/// image pull failure) or stops reporting one. Every other pod event (created, scheduled, started) is left out, which
/// saves one reconcile per event at scale.
/// </summary>
public sealed class PodProblemFilter
{
    private static readonly HashSet<string> Benign = new(StringComparer.Ordinal) { "ContainerCreating", "PodInitializing" };

    private readonly ConcurrentDictionary<string, bool> _withProblem = new(StringComparer.Ordinal);

    public bool IsWorthAPoke(ResourceEvent pod)
    {
        var uid = pod.Uid ?? pod.DisplayName;
        if (pod.Type == ResourceEventType.Deleted)
        {
            _withProblem.TryRemove(uid, out _);
            return false;
        }

        if (HasProblem(pod.Object))
        {
            _withProblem[uid] = true;
            return true;
        }

        return _withProblem.TryRemove(uid, out _);
    }

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
