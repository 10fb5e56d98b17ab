using k8s.Models;
using Kaito.Grains.Workspaces;

namespace Kaito.CrdBridge.Objects;

/// <summary>Reads a workload's status into what the Workspace grain decides on.</summary>
internal static class WorkloadObservations
{
    /// <summary>Ready counts only pods of the current template, once the controller has seen the current spec, so a
    /// new revision is not ready on the old revision's pods (what <c>kubectl rollout status</c> waits for).</summary>
    public static WorkloadObservation Replicas(V1ObjectMeta metadata, int? desired, long? observedGeneration, int? readyReplicas, int? updatedReplicas)
    {
        var current = observedGeneration >= metadata.Generation;
        var ready = current ? Math.Min(readyReplicas ?? 0, updatedReplicas ?? 0) : 0;
        return new WorkloadObservation(ready, desired ?? 1);
    }

    public static WorkloadObservation Job(V1Job job, (string Reason, string Message)? problem)
    {
        var status = job.Status;
        var complete = Condition(status, "Complete");
        var failed = Condition(status, "Failed");
        return new WorkloadObservation(
            status?.Ready ?? 0,
            job.Spec?.Parallelism ?? 1,
            JobActive: (status?.Active ?? 0) > 0,
            JobSucceeded: complete is not null || (status?.Succeeded ?? 0) > 0,
            JobFailed: failed is not null,
            JobFailureMessage: failed is null ? null : $"{failed.Reason}: {failed.Message}",
            ProblemReason: problem?.Reason,
            ProblemMessage: problem?.Message);
    }

    private static V1JobCondition? Condition(V1JobStatus? status, string type) =>
        status?.Conditions?.FirstOrDefault(c => c.Type == type && c.Status == "True");
}
