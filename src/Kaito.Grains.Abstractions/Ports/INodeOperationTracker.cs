using Kaito.Grains.Machines;

namespace Kaito.Grains.Ports;

/// <summary>
/// A provisioner whose create and delete are cloud long-running operations (an AKS agent pool). The Machine grain
/// records the operation id and every state change it reads here, so a restarted silo polls the same operation again
/// instead of starting a second one. Provisioners without operations to follow do not implement it.
/// </summary>
public interface INodeOperationTracker
{
    /// <summary>
    /// Where the operation <paramref name="operationId"/> (as returned by <see cref="INodeProvisioner.CreateNodeAsync"/>
    /// or <see cref="INodeProvisioner.DeleteNodeAsync"/>) of this machine stands now. A succeeded create whose cloud
    /// resource has since disappeared reads as <see cref="NodeOperationState.Failed"/>.
    /// </summary>
    Task<NodeOperationStatus> GetOperationAsync(string machineName, string operationId, CancellationToken cancellationToken = default);
}
