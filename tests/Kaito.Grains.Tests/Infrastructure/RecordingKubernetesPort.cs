using System.Collections.Concurrent;
using Kaito.Grains.Ports;
using Kaito.Grains.Workspaces;

namespace Kaito.Grains.Tests.Infrastructure;

/// <summary>A cluster that records every call; applied inference workloads report all replicas ready unless told otherwise.</summary>
public sealed class RecordingKubernetesPort : IKubernetesObjectPort
{
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>What GetWorkloadAsync answers, by "Kind namespace/name".</summary>
    public ConcurrentDictionary<string, WorkloadObservation> Workloads { get; } = new();

    /// <summary>Whether an applied Deployment/StatefulSet reports its replica ready at once.</summary>
    public Func<KubernetesObjectIntent, bool> WorkloadReadyAtOnce { get; set; } = _ => true;

    /// <summary>An error to throw for a workload read (the API unreachable), by target, or null to answer.</summary>
    public Func<KubernetesObjectReference, Exception?> ReadFailure { get; set; } = _ => null;

    public IReadOnlyList<string> CallsFor(string workspaceKey) =>
        [.. Calls.Where(c => c.Contains($" {workspaceKey}", StringComparison.Ordinal) || c.EndsWith(workspaceKey, StringComparison.Ordinal)
            || c.Contains($" {workspaceKey}-", StringComparison.Ordinal))];

    public Task ApplyAsync(KubernetesObjectIntent intent, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue($"apply {intent.Target}");
        if (intent.Target.Kind is KubernetesKinds.Deployment or KubernetesKinds.StatefulSet && WorkloadReadyAtOnce(intent))
        {
            Workloads[intent.Target.ToString()] = new WorkloadObservation(intent.Spec.NodeCount, intent.Spec.NodeCount);
        }

        return Task.CompletedTask;
    }

    public Task DeleteAsync(KubernetesObjectReference target, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue($"delete {target}");
        return Task.CompletedTask;
    }

    public Task<WorkloadObservation?> GetWorkloadAsync(KubernetesObjectReference target, CancellationToken cancellationToken = default) =>
        ReadFailure(target) is { } failure
            ? Task.FromException<WorkloadObservation?>(failure)
            : Task.FromResult(Workloads.TryGetValue(target.ToString(), out var observed) ? observed : null);

    public Task EnsureFinalizerAsync(string workspaceNamespace, string workspaceName, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue($"finalizer+ {workspaceNamespace}/{workspaceName}");
        return Task.CompletedTask;
    }

    public Task RemoveFinalizerAsync(string workspaceNamespace, string workspaceName, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue($"finalizer- {workspaceNamespace}/{workspaceName}");
        return Task.CompletedTask;
    }
}
