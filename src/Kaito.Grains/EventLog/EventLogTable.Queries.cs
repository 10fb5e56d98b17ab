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

    /// <summary>
    /// The partition of the heads index: one row per aggregate (RowKey = its partition key), written before its first
    /// append. No aggregate partition can be called this: encoded ids only ever hold '%' before two hex digits.
    /// </summary>
    public const string HeadsIndexPartition = "%heads";

    private const int ListConcurrency = 16;

    /// <summary>
    /// One page of aggregates with their current phase and summary. Pages through the heads index (never an event
    /// row), then reads each listed aggregate's head, the one commit point, so an entry is never staler than its head.
    /// An index row whose aggregate has no head yet (its first append never committed) is skipped.
    /// </summary>
    public async Task<AggregatePage> ListAsync(int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync();
        var query = _table.QueryAsync<TableEntity>(
            $"PartitionKey eq '{Escape(HeadsIndexPartition)}'",
            maxPerPage: pageSize,
            select: ["RowKey"],
            cancellationToken: cancellationToken);
        await foreach (var page in query.AsPages(continuationToken, pageSize))
        {
            var heads = new AggregateSummary?[page.Values.Count];
            await Parallel.ForEachAsync(
                Enumerable.Range(0, heads.Length),
                new ParallelOptions { MaxDegreeOfParallelism = ListConcurrency, CancellationToken = cancellationToken },
                async (i, ct) => heads[i] = await ReadSummaryAsync(page.Values[i].RowKey, ct));
            return new AggregatePage([.. heads.OfType<AggregateSummary>()], string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
        }

        return new AggregatePage([], null);
    }

    private async Task<AggregateSummary?> ReadSummaryAsync(string pk, CancellationToken cancellationToken)
    {
        var head = await _table.GetEntityIfExistsAsync<TableEntity>(pk, EventRowCodec<TEvent>.HeadRowKey,
            [HeadColumns.Id, HeadColumns.Version, HeadColumns.Phase, HeadColumns.Summary, HeadColumns.UpdatedAt], cancellationToken);
        if (!head.HasValue || head.Value is not { } h || (h.GetInt32(HeadColumns.Version) ?? 0) == 0)
        {
            return null;
        }

        return new AggregateSummary(
            h.GetString(HeadColumns.Id) ?? PartitionKeyEncoding.Decode(pk),
            h.GetInt32(HeadColumns.Version) ?? 0,
            h.GetString(HeadColumns.Phase) ?? "",
            h.GetString(HeadColumns.Summary) ?? "",
            h.GetDateTimeOffset(HeadColumns.UpdatedAt));
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

        // Unlisted last: a crash before this leaves an index row with no head, which the list skips.
        await _table.DeleteEntityAsync(HeadsIndexPartition, pk, ETag.All, cancellationToken);
    }

    private static readonly string[] AuditColumns = ["RowKey", "Version", "Type", "At", "Generation", "Cause", "Actor", "Summary"];
}
