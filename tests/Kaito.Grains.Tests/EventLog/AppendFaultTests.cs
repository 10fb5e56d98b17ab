using Azure.Data.Tables;
using Kaito.Grains.EventLog;
using Kaito.Grains.Tests.Infrastructure;
using Kaito.Grains.Workspaces;
using Microsoft.Extensions.Logging.Abstractions;
using static Kaito.Grains.Tests.Infrastructure.TestEvents;

namespace Kaito.Grains.Tests.EventLog;

/// <summary>
/// Appends under injected faults against real Azurite: a commit answered by a 503 or a dropped connection (with and
/// without the SDK's own retry, whose resend then meets 409/412), a timeout before the send, a failed read-back.
/// Each checks the exact stored sequence: every event once, none twice.
/// </summary>
public sealed class AppendFaultTests : IAsyncLifetime
{
    private string _connection = null!;
    private string _tableName = null!;
    private TableClient _plain = null!;

    public async Task InitializeAsync()
    {
        _connection = await AzuriteStorage.GetConnectionStringAsync();
        _tableName = AzuriteStorage.NewTablePrefix() + "WorkspaceEvents";
        _plain = new TableServiceClient(_connection).GetTableClient(_tableName);
    }

    public async Task DisposeAsync() => await _plain.DeleteAsync();

    private (EventLogTable<WorkspaceState, WorkspaceEvent> Log, FaultInjectionPolicy Faults) Log(int sdkRetries)
    {
        var faults = new FaultInjectionPolicy { TableName = _tableName };
        var table = FaultInjectionPolicy.Client(_connection, faults, sdkRetries).GetTableClient(_tableName);
        return (new EventLogTable<WorkspaceState, WorkspaceEvent>(table, WorkspaceAggregate.Instance, snapshotEvery: 100, NullLogger.Instance), faults);
    }

    private static WorkspaceEvent[] Notes(string writer, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new WorkspaceNoteRecorded(Context(i, actor: writer), $"{writer}-{i}"))];

    private async Task<List<string>> StoredAsync(string id, EventLogTable<WorkspaceState, WorkspaceEvent> log)
    {
        var history = await log.ReadHistoryAsync(id);
        Assert.Equal(Enumerable.Range(1, history.Count), history.Select(h => h.Version));
        return [.. history.Select(h => h.Summary)];
    }

    [Theory]
    [InlineData(StorageFault.CommitThen503, 3)]
    [InlineData(StorageFault.CommitThenDroppedConnection, 3)]
    [InlineData(StorageFault.CommitThen503, 0)]
    [InlineData(StorageFault.CommitThenDroppedConnection, 0)]
    public async Task Committed_append_answered_by_a_fault_is_known_committed_and_stored_once(StorageFault fault, int sdkRetries)
    {
        var (log, faults) = Log(sdkRetries);
        var id = $"default/commit-{fault}-{sdkRetries}";
        var first = await log.AppendAsync(id, Notes("a", 2), 0, default, new WorkspaceState());
        var read = await log.ReadAsync(id);

        // The first append of an aggregate (Add: a resend meets 409) and a later one (merge under an ETag: 412).
        faults.FailNextBatch(fault);
        var second = await log.AppendAsync(id, Notes("b", 2), read.Version, read.HeadETag, read.State);
        faults.FailNextBatch(fault);
        var fresh = await log.AppendAsync($"{id}-new", Notes("c", 1), 0, default, new WorkspaceState());

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.NotNull(fresh);
        Assert.True(faults.AllFaultsUsed);
        Assert.InRange(faults.BatchesSent, 3, 5);
        Assert.Equal(["a-0", "a-1", "b-0", "b-1"], await StoredAsync(id, log));
        Assert.Equal(["c-0"], await StoredAsync($"{id}-new", log));

        // The ETag returned after the read-back is the real head's: the next append goes straight through.
        var after = await log.ReadAsync(id);
        Assert.Equal(second, after.HeadETag);
        Assert.NotNull(await log.AppendAsync(id, Notes("d", 1), after.Version, second!.Value, after.State));
        Assert.Equal(["a-0", "a-1", "b-0", "b-1", "d-0"], await StoredAsync(id, log));
    }

    [Fact]
    public async Task Timeout_before_the_send_stores_nothing_and_the_same_append_then_goes_through_once()
    {
        var (log, faults) = Log(sdkRetries: 0);
        var id = "default/timeout";
        Assert.NotNull(await log.AppendAsync(id, Notes("a", 1), 0, default, new WorkspaceState()));
        var read = await log.ReadAsync(id);
        var append = log.Prepare(id, Notes("b", 2), read.Version, read.State);

        faults.FailNextBatch(StorageFault.TimeoutBeforeSend);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => log.AppendAsync(append, read.HeadETag));
        Assert.Equal(["a-0"], await StoredAsync(id, log));

        Assert.NotNull(await log.AppendAsync(append, read.HeadETag));
        Assert.Equal(["a-0", "b-0", "b-1"], await StoredAsync(id, log));
    }

    [Fact]
    public async Task Timeout_before_the_send_retried_by_the_sdk_stores_the_append_once()
    {
        var (log, faults) = Log(sdkRetries: 3);
        var id = "default/timeout-sdk";
        faults.FailNextBatch(StorageFault.TimeoutBeforeSend);

        Assert.NotNull(await log.AppendAsync(id, Notes("a", 3), 0, default, new WorkspaceState()));

        Assert.True(faults.AllFaultsUsed);
        Assert.Equal(["a-0", "a-1", "a-2"], await StoredAsync(id, log));
    }

    [Fact]
    public async Task When_the_read_back_fails_too_the_outcome_is_reported_unknown_and_the_head_tells_later()
    {
        var (log, faults) = Log(sdkRetries: 0);
        var id = "default/unknown";
        Assert.NotNull(await log.AppendAsync(id, Notes("a", 1), 0, default, new WorkspaceState()));
        var read = await log.ReadAsync(id);
        var append = log.Prepare(id, Notes("b", 1), read.Version, read.State);

        faults.FailNextBatch(StorageFault.CommitThenDroppedConnection);
        faults.FailNextHeadRead(StorageFault.CommitThenDroppedConnection);
        var ex = await Assert.ThrowsAsync<AggregateException>(() => log.AppendAsync(append, read.HeadETag));

        Assert.Contains("unknown", ex.Message, StringComparison.Ordinal);
        var after = await log.ReadAsync(id);
        Assert.Equal(append.AppendId, after.AppendId);
        Assert.Equal(2, after.Version);
        Assert.Equal(["a-0", "b-0"], await StoredAsync(id, log));
    }

    [Fact]
    public async Task Lost_race_is_still_a_lost_race_when_the_head_does_not_carry_the_append()
    {
        var (log, faults) = Log(sdkRetries: 3);
        var (other, _) = Log(sdkRetries: 0);
        var id = "default/real-race";
        Assert.NotNull(await log.AppendAsync(id, Notes("a", 1), 0, default, new WorkspaceState()));
        var read = await log.ReadAsync(id);

        faults.BeforeNextBatch(async () => Assert.NotNull(await other.AppendAsync(id, Notes("other", 1), read.Version, read.HeadETag, read.State)));
        Assert.Null(await log.AppendAsync(id, Notes("b", 1), read.Version, read.HeadETag, read.State));

        Assert.Equal(["a-0", "other-0"], await StoredAsync(id, log));
    }
}
