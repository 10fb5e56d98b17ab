using k8s.Models;
using Kaito.NodeSimulator.LocalRuntimes;

namespace Kaito.NodeSimulator.Pods;

/// <summary>
/// The model container's status when a real runtime process stands behind it: Running (Ready once <c>/healthz</c>
/// answered), or CrashLoopBackOff with the last termination while it waits to restart, as a kubelet reports it.
/// </summary>
internal static class RuntimeContainerStatus
{
    public static void Apply(V1ContainerStatus status, V1Pod pod, RuntimeSnapshot runtime)
    {
        var containerId = status.ContainerID;
        status.RestartCount = runtime.RestartCount;
        status.ContainerID = $"{containerId}-{runtime.RestartCount}";
        if (runtime.LastTermination is { } last)
        {
            status.LastState = new V1ContainerState
            {
                Terminated = new V1ContainerStateTerminated
                {
                    ExitCode = last.ExitCode,
                    Reason = last.Reason,
                    Message = string.IsNullOrEmpty(last.Message) ? null : last.Message,
                    StartedAt = last.StartedAt,
                    FinishedAt = last.FinishedAt,
                    ContainerID = $"{containerId}-{runtime.RestartCount - 1}",
                },
            };
        }

        if (runtime.Phase == RuntimePhase.BackingOff)
        {
            status.State = new V1ContainerState
            {
                Waiting = new V1ContainerStateWaiting
                {
                    Reason = PodStatusBuilder.CrashLoopBackOff,
                    Message = $"back-off {RestartBackoff.Format(runtime.Backoff)} restarting failed container={status.Name} " +
                        $"pod={pod.Metadata.Name}_{pod.Metadata.NamespaceProperty}({pod.Metadata.Uid})",
                },
            };
            status.Ready = false;
            status.Started = false;
            return;
        }

        status.State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = runtime.StartedAt } };
        status.Started = true;
        status.Ready = runtime.Phase == RuntimePhase.Serving;
    }
}
