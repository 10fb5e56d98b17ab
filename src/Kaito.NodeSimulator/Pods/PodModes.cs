using k8s.Models;

namespace Kaito.NodeSimulator.Pods;

/// <summary>What the simulator's annotations ask of a pod.</summary>
internal static class PodModes
{
    public static PodMode Of(V1Pod pod) =>
        pod.Metadata.Annotations?.TryGetValue(SimulatorAnnotations.CrashLoop, out var value) == true
            ? value.Trim().ToLowerInvariant() switch
            {
                "true" => PodMode.CrashLoop,
                "oom" => PodMode.OomLoop,
                _ => PodMode.Healthy,
            }
            : PodMode.Healthy;

    public static bool JobShouldFail(V1Pod pod) =>
        pod.Metadata.Annotations?.TryGetValue(SimulatorAnnotations.JobOutcome, out var value) == true
        && string.Equals(value.Trim(), "failed", StringComparison.OrdinalIgnoreCase);

    public static bool IsJobPod(V1Pod pod) => pod.Metadata.OwnerReferences?.Any(o => o.Kind == "Job") == true;
}
