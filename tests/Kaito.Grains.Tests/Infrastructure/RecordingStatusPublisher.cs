using System.Collections.Concurrent;
using Kaito.Grains.Ports;
using Kaito.Grains.Workspaces;

namespace Kaito.Grains.Tests.Infrastructure;

public sealed class RecordingStatusPublisher : IWorkspaceStatusPublisher
{
    public ConcurrentQueue<WorkspaceView> Published { get; } = new();

    public Task PublishAsync(WorkspaceView view, CancellationToken cancellationToken = default)
    {
        Published.Enqueue(view);
        return Task.CompletedTask;
    }
}
