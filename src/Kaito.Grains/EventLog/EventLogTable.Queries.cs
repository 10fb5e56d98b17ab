using Azure;
using Azure.Data.Tables;

namespace Kaito.Grains.EventLog;

/// <summary>The audit side of the event log: history, paged listing, deletion. Plain table queries, no aggregate involved.</summary>
public sealed partial class EventLogTable<TState, TEvent>
{
    /// <summary>The history of an aggregate up to its head version, oldest first. Rows are listed even when unreadable.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ReadHistoryAsync(string aggregateId, CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync();
        var pk = PartitionKeyEncoding.Encode(aggregateId);
        var head = await _table.GetEntityIfExistsAsync<TableEntity>(pk, EventRowCodec<TEvent>.HeadRowKey, [HeadColumns.Version], cancellationToken);
        if (!head.HasValue || head.Value?.GetInt32(HeadColumns.Version) is not int version || version == 0)
        {
            return [];
        }

        var filter = $"PartitionKey eq '{Escape(pk)}' and RowKey gt '{EventRowCodec<TEvent>.EventRowPrefix}' and RowKey le '{EventRowCodec<TEvent>.RowKeyOf(version)}'";
        var entries = new List<AuditEntry>(version);
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: AuditColumns, cancellationToken: cancellationToken))
        {
            entries.Add(EventRowCodec<TEvent>.ToAuditEntry(row));
        }

        return entries;
    }

    /// <summary>One page of aggregates with their current phase and summary, read from the head rows alone.</summary>
    public async Task<AggregatePage> ListAsync(int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync();
        var query = _table.QueryAsync<TableEntity>(
            $"RowKey eq '{EventRowCodec<TEvent>.HeadRowKey}'",
            maxPerPage: pageSize,
            select: [HeadColumns.Id, HeadColumns.Version, HeadColumns.Phase, HeadColumns.Summary, HeadColumns.UpdatedAt],
            cancellationToken: cancellationToken);
        await foreach (var page in query.AsPages(continuationToken, pageSize))
        {
            var items = page.Values.Select(h => new AggregateSummary(
                h.GetString(HeadColumns.Id) ?? PartitionKeyEncoding.Decode(h.PartitionKey),
                h.GetInt32(HeadColumns.Version) ?? 0,
                h.GetString(HeadColumns.Phase) ?? "",
                h.GetString(HeadColumns.Summary) ?? "",
                h.GetDateTimeOffset(HeadColumns.UpdatedAt))).ToList();
            return new AggregatePage(items, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
        }

        return new AggregatePage([], null);
    }

    public async Task DeleteAsync(string aggregateId, CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync();
        var pk = PartitionKeyEncoding.Encode(aggregateId);
        var keys = new List<TableEntity>();
        await foreach (var row in _table.QueryAsync<TableEntity>($"PartitionKey eq '{Escape(pk)}'", select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            keys.Add(row);
        }

        foreach (var batch in keys.Chunk(100))
        {
            await _table.SubmitTransactionAsync(batch.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, k, ETag.All)), cancellationToken);
        }
    }

    private static readonly string[] AuditColumns = ["RowKey", "Version", "Type", "At", "Generation", "Cause", "Actor", "Summary"];
}
