using System.Security.Cryptography;
using System.Text;
using k8s.Models;
using Kaito.NodeSimulator.LocalRuntimes;

namespace Kaito.NodeSimulator.Pods;

/// <summary>
/// The status a kubelet would report for a pod on a simulated node, derived from the pod's current status so that
/// start times survive and a second pass yields the same status: Running and Ready; crash-looping (by annotation);
/// for a Job's pod, once Running, Succeeded (or Failed by annotation). With a real runtime process behind the pod, its
/// first container follows that process (<see cref="RuntimeContainerStatus"/>).
/// </summary>
internal static class PodStatusBuilder
{
    public const string CrashLoopBackOff = "CrashLoopBackOff";

    /// <summary>Null when the pod is finished: a kubelet never changes a terminal pod.</summary>
    public static V1PodStatus? Desired(V1Pod pod, string hostIp, string podIp, DateTime now, bool restartAgain, RuntimeSnapshot? runtime = null)
    {
        var current = pod.Status ?? new V1PodStatus();
        if (current.Phase is "Succeeded" or "Failed")
        {
            return null;
        }

        var mode = PodModes.Of(pod);
        var start = current.StartTime ?? now;
        var finishJob = mode == PodMode.Healthy && PodModes.IsJobPod(pod) && current.Phase == "Running"
            && (current.ContainerStatuses?.All(c => c.State?.Running is not null) ?? false);
        var failJob = finishJob && PodModes.JobShouldFail(pod);

        var containers = pod.Spec.Containers
            .Select(c => Container(pod, c, current.ContainerStatuses?.FirstOrDefault(s => s.Name == c.Name), mode, finishJob, failJob, start, now, restartAgain))
            .ToList();
        if (runtime is not null && containers.Count > 0)
        {
            RuntimeContainerStatus.Apply(containers[0], pod, runtime);
        }

        var ready = containers.All(c => c.Ready);
        var phase = finishJob ? (failJob ? "Failed" : "Succeeded") : "Running";
        var notReady = finishJob
            ? ("PodCompleted", "")
            : ("ContainersNotReady", "containers with unready status: [" + string.Join(' ', containers.Where(c => !c.Ready).Select(c => c.Name)) + "]");

        return new V1PodStatus
        {
            Phase = phase,
            HostIP = hostIp,
            PodIP = podIp,
            PodIPs = [new V1PodIP { Ip = podIp }],
            StartTime = start,
            QosClass = current.QosClass,
            Conditions =
            [
                Condition(current, "Initialized", true, default, now),
                Condition(current, "Ready", ready, notReady, now),
                Condition(current, "ContainersReady", ready, notReady, now),
                Condition(current, "PodScheduled", true, default, now),
            ],
            ContainerStatuses = containers,
            InitContainerStatuses = pod.Spec.InitContainers?.Select(c => InitContainer(pod, c, start)).ToList(),
        };
    }

    /// <summary>Whether two statuses show the same state (ignoring timestamps), i.e. nothing needs writing.</summary>
    public static bool SameState(V1PodStatus? current, V1PodStatus desired) => current is not null && Fingerprint(current) == Fingerprint(desired);

    private static string Fingerprint(V1PodStatus status) => string.Join('|',
        status.Phase,
        status.PodIP,
        status.HostIP,
        string.Join(',', (status.Conditions ?? []).OrderBy(c => c.Type, StringComparer.Ordinal).Select(c => c.Type + "=" + c.Status)),
        string.Join(',', (status.ContainerStatuses ?? []).Select(c =>
            $"{c.Name}:{c.Ready}:{c.Started}:{c.RestartCount}:{StateOf(c.State)}:{StateOf(c.LastState)}")),
        string.Join(',', (status.InitContainerStatuses ?? []).Select(c => c.Name + ":" + StateOf(c.State))));

    private static string StateOf(V1ContainerState? state) =>
        state?.Running is not null ? "running"
        : state?.Waiting is { } waiting ? "waiting/" + waiting.Reason
        : state?.Terminated is { } terminated ? "terminated/" + terminated.Reason + "/" + terminated.ExitCode
        : "";

    private static V1ContainerStatus Container(
        V1Pod pod, V1Container container, V1ContainerStatus? existing, PodMode mode, bool finishJob, bool failJob, DateTime start, DateTime now, bool restartAgain)
    {
        var containerId = "containerd://" + Hash(pod.Metadata.Uid + "/" + container.Name);
        var runningSince = existing?.State?.Running?.StartedAt ?? now;
        var status = new V1ContainerStatus
        {
            Name = container.Name,
            Image = container.Image,
            ImageID = ImageId(container.Image),
            ContainerID = containerId,
            RestartCount = existing?.RestartCount ?? 0,
            LastState = existing?.LastState ?? new V1ContainerState(),
        };

        if (finishJob)
        {
            status.State = new V1ContainerState
            {
                Terminated = new V1ContainerStateTerminated
                {
                    ExitCode = failJob ? 1 : 0,
                    Reason = failJob ? "Error" : "Completed",
                    StartedAt = runningSince,
                    FinishedAt = now,
                    ContainerID = containerId,
                },
            };
            return status;
        }

        if (mode == PodMode.Healthy)
        {
            status.State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = runningSince } };
            status.Ready = true;
            status.Started = true;
            return status;
        }

        var crashing = existing?.State?.Waiting?.Reason == CrashLoopBackOff;
        var restarted = !crashing || restartAgain;
        var oom = mode == PodMode.OomLoop;
        status.RestartCount += restarted ? 1 : 0;
        status.LastState = new V1ContainerState
        {
            Terminated = new V1ContainerStateTerminated
            {
                ExitCode = oom ? 137 : 1,
                Reason = oom ? "OOMKilled" : "Error",
                StartedAt = existing?.State?.Running?.StartedAt ?? existing?.LastState?.Terminated?.StartedAt ?? start,
                FinishedAt = restarted ? now : existing?.LastState?.Terminated?.FinishedAt ?? now,
                ContainerID = containerId,
            },
        };
        status.State = new V1ContainerState
        {
            Waiting = new V1ContainerStateWaiting
            {
                Reason = CrashLoopBackOff,
                Message = $"back-off 5m0s restarting failed container={container.Name} pod={pod.Metadata.Name}_{pod.Metadata.NamespaceProperty}({pod.Metadata.Uid})",
            },
        };
        return status;
    }

    private static V1ContainerStatus InitContainer(V1Pod pod, V1Container container, DateTime start)
    {
        var containerId = "containerd://" + Hash(pod.Metadata.Uid + "/" + container.Name);
        return new V1ContainerStatus
        {
            Name = container.Name,
            Image = container.Image,
            ImageID = ImageId(container.Image),
            ContainerID = containerId,
            Ready = true,
            RestartCount = 0,
            State = new V1ContainerState
            {
                Terminated = new V1ContainerStateTerminated
                {
                    ExitCode = 0, Reason = "Completed", StartedAt = start, FinishedAt = start, ContainerID = containerId,
                },
            },
        };
    }

    private static V1PodCondition Condition(V1PodStatus current, string type, bool value, (string Reason, string Message) whyNot, DateTime now)
    {
        var status = value ? "True" : "False";
        var existing = current.Conditions?.FirstOrDefault(c => c.Type == type);
        return new V1PodCondition
        {
            Type = type,
            Status = status,
            Reason = value ? null : whyNot.Reason,
            Message = value || string.IsNullOrEmpty(whyNot.Message) ? null : whyNot.Message,
            LastTransitionTime = existing?.Status == status ? existing.LastTransitionTime ?? now : now,
        };
    }

    private static string ImageId(string? image) => (image ?? "") + "@sha256:" + Hash(image ?? "");

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
