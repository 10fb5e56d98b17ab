using Kaito.Grains.Machines;

namespace Kaito.Grains.Ports;

/// <summary>
/// Creates and deletes GPU nodes in the cloud (an AKS agent pool, a Karpenter NodeClaim). Calls are idempotent by
/// machine name: creating an existing node returns its operation again.
/// </summary>
public interface INodeProvisioner
{
    /// <summary>Starts creating the node; returns the cloud operation id. Throws <see cref="NodeProvisioningException"/>.</summary>
    Task<string> CreateNodeAsync(string machineName, MachineSpecRecord spec, CancellationToken cancellationToken = default);

    /// <summary>Starts deleting the node; returns the cloud operation id.</summary>
    Task<string> DeleteNodeAsync(string machineName, CancellationToken cancellationToken = default);

    /// <summary>The node of this machine as the cluster sees it; null while it has not registered (or is gone).</summary>
    Task<NodeObservation?> GetNodeAsync(string machineName, CancellationToken cancellationToken = default);
}
