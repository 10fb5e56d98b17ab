using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Kaito.Grains.EventLog;

namespace Kaito.Grains.Tests.EventLog;

/// <summary>The heads index in group commits, against Azurite: a burst costs a few transactions, and every row lands.</summary>
public sealed class HeadsIndexWriterTests : IAsyncLifetime
{
    private const string Partition = "%heads";
    private readonly RequestCounter _requests = new();
    private TableClient _table = null!;

    public async Task InitializeAsync()
    {
        var options = new TableClientOptions();
        options.AddPolicy(_requests, HttpPipelinePosition.PerCall);
        _table = new TableServiceClient(await AzuriteStorage.GetConnectionStringAsync(), options).GetTableClient(AzuriteStorage.NewTablePrefix() + "Index");
        await _table.CreateIfNotExistsAsync();
        _requests.Clear();
    }

    public async Task DisposeAsync() => await _table.DeleteAsync();

    [Fact]
    public async Task A_burst_of_new_aggregates_is_stored_in_a_few_transactions()
    {
        var writer = new HeadsIndexWriter(_table, Partition);
        var keys = Enumerable.Range(0, 250).Select(i => $"ws-{i:D4}").ToList();

        await Task.WhenAll(keys.Select(k => Task.Run(() => writer.UpsertAsync(k, "ns/" + k, CancellationToken.None))));

        var stored = new Dictionary<string, string>();
        await foreach (var row in _table.QueryAsync<TableEntity>($"PartitionKey eq '{Partition}'"))
        {
            stored[row.RowKey] = row.GetString(HeadColumns.Id);
        }

        Assert.Equal(keys.Order(), stored.Keys.Order());
        Assert.All(keys, k => Assert.Equal("ns/" + k, stored[k]));
        Assert.InRange(_requests.Count, 3, 60);
    }

    [Fact]
    public async Task An_idle_writer_sends_at_once_and_the_same_row_twice_is_fine()
    {
        var writer = new HeadsIndexWriter(_table, Partition);

        await writer.UpsertAsync("ws-a", "ns/a", CancellationToken.None);
        await writer.UpsertAsync("ws-a", "ns/a", CancellationToken.None);

        Assert.Equal(2, _requests.Count);
        Assert.Equal("ns/a", (await _table.GetEntityAsync<TableEntity>(Partition, "ws-a")).Value.GetString(HeadColumns.Id));
    }

    [Fact]
    public async Task A_failed_transaction_fails_its_callers_and_later_callers_are_stored()
    {
        var writer = new HeadsIndexWriter(_table, Partition);

        // '/' is not allowed in a RowKey: the service refuses the row, and with it the transaction it is in.
        var bad = Task.Run(() => writer.UpsertAsync("bad/key", "ns/bad", CancellationToken.None));
        await Assert.ThrowsAnyAsync<Exception>(() => bad);
        await writer.UpsertAsync("ws-after", "ns/after", CancellationToken.None);

        Assert.Equal("ns/after", (await _table.GetEntityAsync<TableEntity>(Partition, "ws-after")).Value.GetString(HeadColumns.Id));
    }

    private sealed class RequestCounter : HttpPipelineSynchronousPolicy
    {
        private readonly ConcurrentQueue<string> _seen = new();

        public int Count => _seen.Count;

        public void Clear() => _seen.Clear();

        public override void OnSendingRequest(HttpMessage message) => _seen.Enqueue(message.Request.Method.ToString());
    }
}
