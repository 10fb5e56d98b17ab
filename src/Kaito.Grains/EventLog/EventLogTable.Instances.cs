using Azure.Data.Tables;

namespace Kaito.Grains.EventLog;

/// <summary>Audit queries over several aggregates: every instance under one id prefix, and listing filtered by phase.</summary>
public sealed partial class EventLogTable<TState, TEvent>
{
    /// <summary>How many index rows one filtered listing reads at most before it answers with a continuation token.</summary>
    public const int MaxScannedPerFilteredPage = 5000;

    /// <summary>
    /// Every aggregate whose id is <paramref name="id"/> or starts with <paramref name="id"/> + <paramref name="separator"/>
    /// (a Workspace <c>ns/name</c> and each <c>ns/name/uid</c> it has been), from the heads index, with the time of its
    /// first event; newest first. Aggregates deleted from Kubernetes keep their log, so they are listed too.
    /// </summary>
    public async Task<IReadOnlyList<AggregateInstance>> ListInstancesAsync(string id, char separator, CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync();
        var exact = PartitionKeyEncoding.Encode(id);
        var prefix = PartitionKeyEncoding.Encode(id + separator);
        var upper = prefix[..^1] + (char)(prefix[^1] + 1);
        var filter = $"PartitionKey eq '{Escape(HeadsIndexPartition)}' and (RowKey eq '{Escape(exact)}' or (RowKey ge '{Escape(prefix)}' and RowKey lt '{Escape(upper)}'))";
        var keys = new List<string>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            keys.Add(row.RowKey);
        }

        var instances = new AggregateInstance?[keys.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, keys.Count),
            new ParallelOptions { MaxDegreeOfParallelism = ListConcurrency, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                if (await ReadSummaryAsync(keys[i], ct) is { } summary)
                {
                    var first = await _table.GetEntityIfExistsAsync<TableEntity>(keys[i], EventRowCodec<TEvent>.RowKeyOf(1), ["At"], ct);
                    instances[i] = new AggregateInstance(summary, first.HasValue ? first.Value?.GetDateTimeOffset("At") : null);
                }
            });
        return [.. instances.OfType<AggregateInstance>().OrderByDescending(i => i.FirstEventAt ?? DateTimeOffset.MinValue).ThenByDescending(i => i.Summary.UpdatedAt)];
    }

    /// <summary>
    /// Like <see cref="ListAsync"/>, keeping only aggregates in <paramref name="phase"/> (all when null): reads index
    /// pages until <paramref name="pageSize"/> match, the index ends, or <see cref="MaxScannedPerFilteredPage"/> rows
    /// were read (then a page may be short, even empty, and still carry a continuation token).
    /// </summary>
    public async Task<AggregatePage> ListInPhaseAsync(string? phase, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        if (phase is null)
        {
            return await ListAsync(pageSize, continuationToken, cancellationToken);
        }

        var items = new List<AggregateSummary>();
        var scanned = 0;
        var token = continuationToken;
        do
        {
            var want = pageSize - items.Count;
            var page = await ListAsync(want, token, cancellationToken);
            items.AddRange(page.Items.Where(i => string.Equals(i.Phase, phase, StringComparison.OrdinalIgnoreCase)));
            scanned += want;
            token = page.ContinuationToken;
        }
        while (items.Count < pageSize && token is not null && scanned < MaxScannedPerFilteredPage);

        return new AggregatePage(items, token);
    }
}
