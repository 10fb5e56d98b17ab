using Azure;
using Azure.Data.Tables;
using Kaito.Grains.EventLog;
using Kaito.Grains.Tests.Infrastructure;
using Kaito.Grains.Workspaces;
using Microsoft.Extensions.Logging.Abstractions;
using static Kaito.Grains.Tests.Infrastructure.TestEvents;

namespace Kaito.Grains.Tests.EventLog;

/// <summary>The per-event Azure Table log itself, against Azurite: atomic appends, the head-row guard, snapshots.</summary>
public sealed class EventLogTableTests : IAsyncLifetime
{
    private TableClient _table = null!;
    private EventLogTable<WorkspaceState, WorkspaceEvent> _log = null!;

    public async Task InitializeAsync()
    {
        var connection = await AzuriteStorage.GetConnectionStringAsync();
        _table = new TableServiceClient(connection).GetTableClient(AzuriteStorage.NewTablePrefix() + "WorkspaceEvents");
        _log = new EventLogTable<WorkspaceState, WorkspaceEvent>(_table, WorkspaceAggregate.Instance, snapshotEvery: 100, NullLogger.Instance);
    }

    public async Task DisposeAsync() => await _table.DeleteAsync();

    private static WorkspaceEvent[] Notes(string writer, int count, int from = 0) =>
        [.. Enumerable.Range(from, count).Select(i => new WorkspaceNoteRecorded(Context(i, actor: writer), $"{writer}-{i}"))];

    [Fact]
    public async Task Appended_events_read_back_as_the_same_state_and_version()
    {
        var id = "default/append-read";
        var etag = await _log.AppendAsync(id, [new WorkspaceRequested(Context(), Spec()), .. Notes("api", 2)], 0, default, new WorkspaceState());

        var read = await _log.ReadAsync(id);

        Assert.NotNull(etag);
        Assert.Equal(3, read.Version);
        Assert.Equal(WorkspacePhase.Requested, read.State.Phase);
        Assert.Equal(2, read.State.NoteCount);
        Assert.Equal(etag, read.HeadETag);
        var history = await _log.ReadHistoryAsync(id);
        Assert.Equal([1, 2, 3], history.Select(h => h.Version));
        Assert.Equal(["workspace.requested", "workspace.noteRecorded", "workspace.noteRecorded"], history.Select(h => h.EventType));
        Assert.Equal("api:tester", history[0].Actor);
    }

    [Fact]
    public async Task Stale_writer_is_rejected_and_writes_nothing()
    {
        var id = "default/stale";
        var first = await _log.AppendAsync(id, Notes("a", 1), 0, default, new WorkspaceState());
        var read = await _log.ReadAsync(id);
        Assert.NotNull(await _log.AppendAsync(id, Notes("b", 2), read.Version, read.HeadETag, read.State));

        var stale = await _log.AppendAsync(id, Notes("c", 3), read.Version, read.HeadETag, read.State);
        var secondCreator = await _log.AppendAsync(id, Notes("d", 1), 0, default, new WorkspaceState());

        Assert.Null(stale);
        Assert.Null(secondCreator);
        var history = await _log.ReadHistoryAsync(id);
        Assert.Equal(["a-0", "b-0", "b-1"], history.Select(h => h.Summary));
        Assert.NotNull(first);
    }

    [Fact]
    public async Task Two_concurrent_writers_lose_no_event_and_duplicate_none()
    {
        var id = "default/race";
        async Task WriteAsync(string writer)
        {
            for (var i = 0; i < 25; i++)
            {
                while (true)
                {
                    var read = await _log.ReadAsync(id);
                    if (await _log.AppendAsync(id, Notes(writer, 1, i), read.Version, read.HeadETag, read.State) is not null)
                    {
                        break;
                    }
                }
            }
        }

        await Task.WhenAll(Task.Run(() => WriteAsync("left")), Task.Run(() => WriteAsync("right")));

        var history = await _log.ReadHistoryAsync(id);
        Assert.Equal(Enumerable.Range(1, 50), history.Select(h => h.Version));
        Assert.Equal(50, history.Select(h => h.Summary).Distinct().Count());
        Assert.Equal(50, (await _log.ReadAsync(id)).State.NoteCount);
    }

    [Fact]
    public async Task Large_append_is_chunked_and_activation_starts_from_the_snapshot()
    {
        var id = "default/chunked";
        Assert.NotNull(await _log.AppendAsync(id, Notes("bulk", 1050), 0, default, new WorkspaceState()));

        var fromSnapshot = await _log.ReadAsync(id);
        Assert.Equal(1050, fromSnapshot.Version);
        Assert.Equal(1050, fromSnapshot.SnapshotVersion);
        Assert.Equal(0, fromSnapshot.EventRowsRead);
        Assert.Equal(1050, fromSnapshot.State.NoteCount);

        Assert.NotNull(await _log.AppendAsync(id, Notes("tail", 30), 1050, fromSnapshot.HeadETag, fromSnapshot.State));
        var withTail = await _log.ReadAsync(id);
        Assert.Equal(1080, withTail.Version);
        Assert.Equal(1050, withTail.SnapshotVersion);
        Assert.Equal(30, withTail.EventRowsRead);
        Assert.Equal(1080, withTail.State.NoteCount);
        Assert.Equal(1080, (await _log.ReadHistoryAsync(id)).Count);
    }

    [Fact]
    public async Task Rows_past_the_head_from_an_unfinished_append_are_ignored_then_overwritten()
    {
        var id = "default/orphans";
        Assert.NotNull(await _log.AppendAsync(id, Notes("a", 2), 0, default, new WorkspaceState()));
        var pk = PartitionKeyEncoding.Encode(id);
        await _table.UpsertEntityAsync(new TableEntity(pk, EventRowCodec<WorkspaceEvent>.RowKeyOf(3)) { ["Version"] = 3, ["Type"] = "garbage", ["Data"] = "?" });

        var read = await _log.ReadAsync(id);
        Assert.Equal(2, read.Version);
        Assert.Equal(2, (await _log.ReadHistoryAsync(id)).Count);

        Assert.NotNull(await _log.AppendAsync(id, Notes("b", 1), read.Version, read.HeadETag, read.State));
        Assert.Equal(3, (await _log.ReadAsync(id)).State.NoteCount);
    }

    [Fact]
    public async Task Missing_event_row_is_reported_with_the_aggregate_and_version()
    {
        var id = "default/gap";
        Assert.NotNull(await _log.AppendAsync(id, Notes("a", 5), 0, default, new WorkspaceState()));
        await _table.DeleteEntityAsync(PartitionKeyEncoding.Encode(id), EventRowCodec<WorkspaceEvent>.RowKeyOf(3), ETag.All);

        var ex = await Assert.ThrowsAsync<EventLogCorruptedException>(() => _log.ReadAsync(id));

        Assert.Equal(3, ex.Version);
        Assert.Contains("workspace 'default/gap'", ex.Message);
    }

    [Fact]
    public async Task Unreadable_snapshot_costs_a_replay_not_the_aggregate()
    {
        var id = "default/bad-snapshot";
        Assert.NotNull(await _log.AppendAsync(id, Notes("a", 120), 0, default, new WorkspaceState()));
        var pk = PartitionKeyEncoding.Encode(id);
        await _table.UpdateEntityAsync(new TableEntity(pk, EventRowCodec<WorkspaceEvent>.HeadRowKey) { ["Snapshot"] = "{broken" }, ETag.All, TableUpdateMode.Merge);

        var read = await _log.ReadAsync(id);

        Assert.Equal(0, read.SnapshotVersion);
        Assert.Equal(120, read.EventRowsRead);
        Assert.Equal(120, read.State.NoteCount);
    }

    [Fact]
    public async Task Aggregates_are_listed_a_page_at_a_time_with_their_phase()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.NotNull(await _log.AppendAsync($"team-{i}/ws", [new WorkspaceRequested(Context(), Spec())], 0, default, new WorkspaceState()));
        }

        var seen = new List<AggregateSummary>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await _log.ListAsync(2, token);
            Assert.True(page.Items.Count <= 2);
            seen.AddRange(page.Items);
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(5, seen.Count);
        Assert.All(seen, s => Assert.Equal("Requested", s.Phase));
        Assert.Contains(seen, s => s.Id == "team-3/ws");
        Assert.True(pages >= 3);
    }
}
