using System.Collections.Concurrent;
using Kaito.Grains.Ports;

namespace Kaito.Grains.Tests.Infrastructure;

public sealed class RecordingEventRecorder : IWorkspaceEventRecorder
{
    public ConcurrentQueue<WorkspaceEventNotice> Notices { get; } = new();

    /// <summary>The notices of each call as they came: a grain makes one call per append.</summary>
    public ConcurrentQueue<IReadOnlyList<WorkspaceEventNotice>> Batches { get; } = new();

    /// <summary>An error to throw instead of recording, or null to record.</summary>
    public Func<Exception?> Failure { get; set; } = () => null;

    public IReadOnlyList<WorkspaceEventNotice> For(string workspaceKey) => [.. Notices.Where(n => n.WorkspaceKey == workspaceKey)];

    /// <summary>The reasons of each batch for <paramref name="workspaceKey"/>, in order: one list per append.</summary>
    public IReadOnlyList<IReadOnlyList<string>> AppendsFor(string workspaceKey) =>
        [.. Batches.Where(b => b.Count > 0 && b[0].WorkspaceKey == workspaceKey).Select(b => (IReadOnlyList<string>)[.. b.Select(n => n.Reason)])];

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

        Batches.Enqueue([.. notices]);

        return Task.CompletedTask;
    }
}
