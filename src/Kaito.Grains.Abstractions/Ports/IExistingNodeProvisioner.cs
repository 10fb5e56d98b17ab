namespace Kaito.Grains.Ports;

/// <summary>
/// A provisioner whose create hands over a node that already exists (bring your own nodes): the node can be looked at
/// as soon as the create returns, so a machine records the creation and what the node shows in one append instead of
/// waiting a pass for a node that is already there.
/// </summary>
public interface IExistingNodeProvisioner : INodeProvisioner;
