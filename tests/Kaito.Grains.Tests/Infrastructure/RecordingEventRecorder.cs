using System.Collections.Concurrent;
using Kaito.Grains.Ports;

namespace Kaito.Grains.Tests.Infrastructure;

public sealed class RecordingEventRecorder : IWorkspaceEventRecorder
{
    public ConcurrentQueue<WorkspaceEventNotice> Notices { get; } = new();

    /// <summary>An error to throw instead of recording, or null to record.</summary>
    public Func<Exception?> Failure { get; set; } = () => null;

    public IReadOnlyList<WorkspaceEventNotice> For(string workspaceKey) => [.. Notices.Where(n => n.WorkspaceKey == workspaceKey)];

    public Task RecordAsync(IReadOnlyList<WorkspaceEventNotice> notices, CancellationToken cancellationToken = default)
    {
        if (Failure() is { } failure)
        {
            throw failure;
        }

        foreach (var notice in notices)
        {
            Notices.Enqueue(notice);
        }

        return Task.CompletedTask;
    }
}
