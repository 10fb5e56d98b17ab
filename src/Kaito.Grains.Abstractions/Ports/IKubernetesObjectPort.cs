using Kaito.Grains.Workspaces;

namespace Kaito.Grains.Ports;

/// <summary>Everything a Workspace does to and reads from the Kubernetes cluster. Every call is idempotent.</summary>
public interface IKubernetesObjectPort
{
    Task ApplyAsync(KubernetesObjectIntent intent, CancellationToken cancellationToken = default);

    Task DeleteAsync(KubernetesObjectReference target, CancellationToken cancellationToken = default);

    /// <summary>Ready replicas of a Deployment/StatefulSet, or the state of a Job; null when the object does not exist.</summary>
    Task<WorkloadObservation?> GetWorkloadAsync(KubernetesObjectReference target, CancellationToken cancellationToken = default);

    /// <summary>Adds <c>workspace.finalizer.kaito.sh</c> to the Workspace object.</summary>
    Task EnsureFinalizerAsync(string workspaceNamespace, string workspaceName, CancellationToken cancellationToken = default);

    Task RemoveFinalizerAsync(string workspaceNamespace, string workspaceName, CancellationToken cancellationToken = default);
}
