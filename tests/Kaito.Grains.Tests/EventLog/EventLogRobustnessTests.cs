using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Kaito.Grains.EventLog;
using Kaito.Grains.Tests.Infrastructure;
using Kaito.Grains.Workspaces;
using Microsoft.Extensions.Logging.Abstractions;
using static Kaito.Grains.Tests.Infrastructure.TestEvents;

namespace Kaito.Grains.Tests.EventLog;

/// <summary>The log is never wedged and lists without a scan: big events split over columns, refusals before storage, retried table creation, the heads index.</summary>
public sealed class EventLogRobustnessTests : IAsyncLifetime
{
    private string _connection = null!;
    private string _tableName = null!;
    private TableClient _plain = null!;
    private FaultInjectionPolicy _faults = null!;
    private EventLogTable<WorkspaceState, WorkspaceEvent> _log = null!;

    public async Task InitializeAsync()
    {
        _connection = await AzuriteStorage.GetConnectionStringAsync();
        _tableName = AzuriteStorage.NewTablePrefix() + "WorkspaceEvents";
        _plain = new TableServiceClient(_connection).GetTableClient(_tableName);
        _faults = new FaultInjectionPolicy { TableName = _tableName };
        _log = LogOver(WorkspaceAggregate.Instance);
    }

    public async Task DisposeAsync() => await _plain.DeleteAsync();

    private EventLogTable<WorkspaceState, WorkspaceEvent> LogOver(IAggregateDefinition<WorkspaceState, WorkspaceEvent> definition) => new(
        FaultInjectionPolicy.Client(_connection, _faults, sdkRetries: 0).GetTableClient(_tableName), definition, snapshotEvery: 3, NullLogger.Instance);

    private static WorkspaceNoteRecorded Note(string text, int at = 0) => new(Context(at), text);

    [Fact]
    public async Task Failed_table_creation_is_tried_again_by_the_next_call()
    {
        _faults.FailNext(m => m.Request.Method == RequestMethod.Post && m.Request.Uri.ToUri().AbsolutePath.EndsWith("/Tables", StringComparison.Ordinal), StorageFault.TimeoutBeforeSend);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _log.ReadAsync("default/created"));

        Assert.Equal(0, (await _log.ReadAsync("default/created")).Version);
        Assert.NotNull(await _log.AppendAsync("default/created", [Note("one")], 0, default, new WorkspaceState()));
    }

    [Fact]
    public async Task Event_of_nearly_a_mebibyte_is_split_over_columns_and_a_bigger_one_is_refused_before_anything_is_sent()
    {
        var id = "default/split";
        var big = new string('n', SplitColumn.MaxLength - 200);
        Assert.NotNull(await _log.AppendAsync(id, [Note(big), Note("small")], 0, default, new WorkspaceState()));

        var row = (await _plain.GetEntityAsync<TableEntity>(PartitionKeyEncoding.Encode(id), EventRowCodec<WorkspaceEvent>.RowKeyOf(1))).Value;
        Assert.NotNull(row.GetString("Data14"));
        var read = await _log.ReadAsync(id);
        Assert.Equal(2, read.Version);
        Assert.Equal(2, read.State.NoteCount);

        var batchesBefore = _faults.BatchesSent;
        var ex = Assert.Throws<EventTooLargeException>(() => _log.Prepare(id, [Note(new string('n', SplitColumn.MaxLength + 1))], 2, read.State));
        Assert.Equal("workspace.noteRecorded", ex.EventType);
        Assert.Contains("MiB", ex.Message, StringComparison.Ordinal);
        Assert.Equal(batchesBefore, _faults.BatchesSent);
        Assert.Equal(2, (await _log.ReadAsync(id)).Version);
    }

    [Fact]
    public async Task Snapshot_bigger_than_a_column_is_split_and_activation_still_starts_from_it()
    {
        var id = "default/big-snapshot";
        var etag = await _log.AppendAsync(id, [new WorkspaceRequested(Context(), Spec() with { SpecJson = new string('s', 100_000) }), Note("a"), Note("b")], 0, default, new WorkspaceState());
        Assert.NotNull(etag);

        var read = await _log.ReadAsync(id);

        Assert.Equal(3, read.SnapshotVersion);
        Assert.Equal(0, read.EventRowsRead);
        Assert.Equal(100_000, read.State.Spec!.SpecJson.Length);
    }

    [Fact]
    public async Task Throwing_summary_fails_that_append_only_and_stores_nothing()
    {
        var definition = new ThrowingSummaryAggregate();
        var log = LogOver(definition);
        var id = "default/summary";
        Assert.NotNull(await log.AppendAsync(id, [Note("one")], 0, default, new WorkspaceState()));
        var read = await log.ReadAsync(id);

        definition.Armed = true;
        var ex = Assert.Throws<InvalidOperationException>(() => log.Prepare(id, [Note("two")], read.Version, read.State));
        definition.Armed = false;

        Assert.Contains("Nothing was stored", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(await log.AppendAsync(id, [Note("three")], read.Version, read.HeadETag, read.State));
        Assert.Equal(["one", "three"], (await log.ReadHistoryAsync(id)).Select(h => h.Summary));
    }

    [Fact]
    public async Task List_pages_through_the_heads_index_and_never_reads_an_event_row()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.NotNull(await _log.AppendAsync($"list-{i}/ws", [new WorkspaceRequested(Context(), Spec()), .. Enumerable.Range(0, 40).Select(n => Note($"n{n}"))], 0, default, new WorkspaceState()));
        }

        // Listed but never committed (a first append that failed): skipped. Committed before the index existed: added on read.
        await _plain.UpsertEntityAsync(new TableEntity(EventLogTable<WorkspaceState, WorkspaceEvent>.HeadsIndexPartition, PartitionKeyEncoding.Encode("ghost/ws")));
        await _plain.DeleteEntityAsync(EventLogTable<WorkspaceState, WorkspaceEvent>.HeadsIndexPartition, PartitionKeyEncoding.Encode("list-4/ws"));
        await _plain.UpdateEntityAsync(new TableEntity(PartitionKeyEncoding.Encode("list-4/ws"), EventRowCodec<WorkspaceEvent>.HeadRowKey) { ["Indexed"] = false }, ETag.All, TableUpdateMode.Merge);
        Assert.DoesNotContain(await ListAllAsync(), s => s.Id == "list-4/ws");
        await _log.ReadAsync("list-4/ws");

        while (_faults.Requests.TryDequeue(out _))
        {
        }

        var seen = await ListAllAsync();

        Assert.Equal(["list-0/ws", "list-1/ws", "list-2/ws", "list-3/ws", "list-4/ws"], seen.Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.All(seen, s => Assert.Equal(("Requested", 41), (s.Phase, s.Version)));
        Assert.DoesNotContain(_faults.Requests, r => r.Contains("RowKey gt", StringComparison.Ordinal) || r.Contains("'e0", StringComparison.Ordinal));
    }

    private async Task<List<AggregateSummary>> ListAllAsync()
    {
        var seen = new List<AggregateSummary>();
        string? token = null;
        do
        {
            var page = await _log.ListAsync(2, token);
            Assert.True(page.Items.Count <= 2);
            seen.AddRange(page.Items);
            token = page.ContinuationToken;
        }
        while (token is not null);

        return seen;
    }
}
