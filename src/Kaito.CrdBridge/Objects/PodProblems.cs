using System.Globalization;
using k8s.Models;

namespace Kaito.CrdBridge.Objects;

/// <summary>
/// Why a workload's pod does not serve, in the kubelet's words: the first unready container (by pod name) that is
/// crash-looping, cannot pull its image, cannot be configured, or was killed for memory or an error. The message names
/// the pod, the container and its restarts, then the problem; for a container that exited, its exit code and its
/// termination message (what the runtime wrote to /dev/termination-log, e.g. why a model or adapter could not be
/// loaded), made one line and bounded by <see cref="TerminationMessageText"/>.
/// </summary>
internal static class PodProblems
{
    private static readonly HashSet<string> WaitingReasons = ["CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "CreateContainerConfigError"];
    private static readonly HashSet<string> TerminatedReasons = ["OOMKilled", "Error"];

    public static (string Reason, string Message)? Find(IEnumerable<V1Pod> pods)
    {
        foreach (var pod in pods.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            var statuses = (pod.Status?.InitContainerStatuses ?? []).Concat(pod.Status?.ContainerStatuses ?? []);
            foreach (var container in statuses.Where(c => !c.Ready))
            {
                if (Find(container) is { } problem)
                {
                    var restarts = container.RestartCount.ToString(CultureInfo.InvariantCulture);
                    var detail = string.IsNullOrEmpty(problem.Message) ? "" : ": " + problem.Message;
                    return (problem.Reason, $"pod {pod.Metadata.Name}: container {container.Name} (restarts {restarts}): {problem.Reason}{detail}");
                }
            }
        }

        return null;
    }

    /// <summary>Pods bound to a node and not being deleted (an old revision's terminating pods do not count).</summary>
    public static int Scheduled(IEnumerable<V1Pod> pods) => pods.Count(p => p.Metadata.DeletionTimestamp is null
        && p.Status?.Conditions?.Any(c => c.Type == "PodScheduled" && c.Status == "True") == true);

    private static (string Reason, string? Message)? Find(V1ContainerStatus container)
    {
        var lastTerminated = container.LastState?.Terminated;
        var waiting = container.State?.Waiting;
        var terminated = container.State?.Terminated;

        // A crash loop is a symptom: when the last run was killed for memory, say that (kaito#1493).
        if (waiting?.Reason == "CrashLoopBackOff" && lastTerminated?.Reason == "OOMKilled")
        {
            return (lastTerminated.Reason, Describe(lastTerminated));
        }

        // What the container said when it stopped says more than the back-off boilerplate.
        if (waiting?.Reason == "CrashLoopBackOff" && !string.IsNullOrWhiteSpace(lastTerminated?.Message))
        {
            return (waiting.Reason, Describe(lastTerminated));
        }

        if (waiting?.Reason is { } w && WaitingReasons.Contains(w))
        {
            return (w, TerminationMessageText.OneLine(waiting.Message));
        }

        if (terminated?.Reason is { } t && TerminatedReasons.Contains(t))
        {
            return (t, Describe(terminated));
        }

        return lastTerminated?.Reason is { } l && TerminatedReasons.Contains(l) ? (l, Describe(lastTerminated)) : null;
    }

    private static string Describe(V1ContainerStateTerminated terminated)
    {
        var exitCode = "exit code " + terminated.ExitCode.ToString(CultureInfo.InvariantCulture);
        var message = TerminationMessageText.OneLine(terminated.Message);
        return message.Length == 0 ? exitCode : exitCode + ": " + message;
    }
}
