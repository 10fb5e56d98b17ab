using Kaito.Grains.Machines;
using Kaito.Grains.Ports;
using Kaito.Grains.Workspaces;

namespace Kaito.Grains.Bench;

/// <summary>Ports that do nothing: the bench measures the event log and the grains, not Kubernetes or the cloud.</summary>
internal sealed class NoOpPorts : IKubernetesObjectPort, INodeProvisioner, IWorkspaceStatusPublisher
{
    public Task ApplyAsync(KubernetesObjectIntent intent, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task DeleteAsync(KubernetesObjectReference target, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<WorkloadObservation?> GetWorkloadAsync(KubernetesObjectReference target, CancellationToken cancellationToken = default) =>
        Task.FromResult<WorkloadObservation?>(null);

    public Task EnsureFinalizerAsync(string workspaceNamespace, string workspaceName, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task RemoveFinalizerAsync(string workspaceNamespace, string workspaceName, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<string> CreateNodeAsync(string machineName, MachineSpecRecord spec, CancellationToken cancellationToken = default) => Task.FromResult("op");

    public Task<string> DeleteNodeAsync(string machineName, CancellationToken cancellationToken = default) => Task.FromResult("op");

    public Task<NodeObservation?> GetNodeAsync(string machineName, CancellationToken cancellationToken = default) => Task.FromResult<NodeObservation?>(null);

    public Task PublishAsync(WorkspaceView view, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
