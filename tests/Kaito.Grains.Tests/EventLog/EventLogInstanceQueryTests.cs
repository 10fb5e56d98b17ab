using Azure.Data.Tables;
using Kaito.Grains.EventLog;
using Kaito.Grains.Tests.Infrastructure;
using Kaito.Grains.Workspaces;
using Microsoft.Extensions.Logging.Abstractions;
using static Kaito.Grains.Tests.Infrastructure.TestEvents;

namespace Kaito.Grains.Tests.EventLog;

/// <summary>The audit queries over several aggregates, against Azurite: every uid a name has had, listing by phase.</summary>
public sealed class EventLogInstanceQueryTests : IAsyncLifetime
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

    private Task Create(string id, int secondsAfterT0) =>
        _log.AppendAsync(id, [new WorkspaceRequested(Context(secondsAfterT0), Spec())], 0, default, new WorkspaceState());

    private Task Note(string id) =>
        _log.AppendAsync(id, [new WorkspaceNoteRecorded(Context(), "note")], 0, default, new WorkspaceState());

    [Fact]
    public async Task Every_uid_of_a_name_is_found_newest_first_and_no_other_name()
    {
        await Create("team/ws/uid-old", 10);
        await Create("team/ws/uid-new", 30);
        await Create("team/ws", 20);
        await Create("team/ws-2/uid-x", 40);
        await Create("team/wsx", 50);
        await Create("other/ws/uid-y", 60);

        var instances = await _log.ListInstancesAsync("team/ws", '/');

        Assert.Equal(["team/ws/uid-new", "team/ws", "team/ws/uid-old"], instances.Select(i => i.Summary.Id));
        Assert.Equal(T0.AddSeconds(30), instances[0].FirstEventAt);
        Assert.All(instances, i => Assert.Equal("Requested", i.Summary.Phase));
    }

    [Fact]
    public async Task A_name_with_no_log_has_no_instances() =>
        Assert.Empty(await _log.ListInstancesAsync("team/none", '/'));

    [Fact]
    public async Task Listing_by_phase_fills_pages_from_further_index_pages_and_keeps_only_that_phase()
    {
        for (var i = 0; i < 4; i++)
        {
            await Create($"team/requested-{i}/u", i);
            await Note($"team/none-{i}/u");
        }

        var seen = new List<AggregateSummary>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await _log.ListInPhaseAsync("requested", 3, token);
            Assert.True(page.Items.Count <= 3);
            seen.AddRange(page.Items);
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(4, seen.Count);
        Assert.All(seen, s => Assert.Equal("Requested", s.Phase));
        Assert.Equal(8, (await _log.ListInPhaseAsync(null, 100, null)).Items.Count);
    }
}
