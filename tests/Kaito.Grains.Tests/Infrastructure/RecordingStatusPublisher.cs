using System.Collections.Concurrent;
using Kaito.Grains.Ports;
using Kaito.Grains.Workspaces;

namespace Kaito.Grains.Tests.Infrastructure;

public sealed class RecordingStatusPublisher : IWorkspaceStatusPublisher
{
    public ConcurrentQueue<WorkspaceView> Published { get; } = new();

    /// <summary>An error to throw instead of publishing this view, or null to publish it.</summary>
    public Func<WorkspaceView, Exception?> Failure { get; set; } = _ => null;

    public Task PublishAsync(WorkspaceView view, CancellationToken cancellationToken = default)
    {
        if (Failure(view) is { } failure)
        {
            return Task.FromException(failure);
        }

        Published.Enqueue(view);
        return Task.CompletedTask;
    }
}
