using Kaito.Grains.Workspaces;

namespace Kaito.Grains.Ports;

/// <summary>Writes a Workspace's state where users see it: the CRD status subresource, a Service Bus topic.</summary>
public interface IWorkspaceStatusPublisher
{
    Task PublishAsync(WorkspaceView view, CancellationToken cancellationToken = default);
}
