using Kaito.Grains.EventLog;
using Kaito.Grains.Tests.Infrastructure;
using Kaito.Grains.Workspaces;
using Microsoft.Extensions.Logging.Abstractions;
using static Kaito.Grains.Tests.Infrastructure.TestEvents;

namespace Kaito.Grains.Tests.EventLog;

/// <summary>Activation costs one read of the head (with its snapshot) and the tail, however often the provider asks.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ActivationReadTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Activation_reads_the_log_once_from_the_snapshot()
    {
        var kaito = fixture.Kaito;
        var log = new EventLogTable<WorkspaceState, WorkspaceEvent>(kaito.Tables.GetTableClient(kaito.TablePrefix + "WorkspaceEvents"), WorkspaceAggregate.Instance, 100, NullLogger.Instance);
        var key = $"default/once-{Guid.NewGuid():N}"[..30];
        Assert.NotNull(await log.AppendAsync(key, [.. Enumerable.Range(0, 100).Select(i => new WorkspaceNoteRecorded(Context(i), $"n{i}"))], 0, default, new WorkspaceState()));
        var read = await log.ReadAsync(key);
        Assert.NotNull(await log.AppendAsync(key, [.. Enumerable.Range(100, 50).Select(i => new WorkspaceNoteRecorded(Context(i), $"n{i}"))], 100, read.HeadETag, read.State));
        var table = kaito.SiloService<EventLogTable<WorkspaceState, WorkspaceEvent>>();
        var before = table.EventRowsReplayed;

        var view = await kaito.Client.GetGrain<IWorkspaceGrain>(key).GetState();

        Assert.Equal(150, view.Version);
        Assert.Equal(50, table.EventRowsReplayed - before);
    }
}
