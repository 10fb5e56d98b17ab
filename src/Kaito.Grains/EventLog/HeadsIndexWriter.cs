using Azure.Data.Tables;

namespace Kaito.Grains.EventLog;

/// <summary>
/// Writes rows of the heads index (one partition) in group commits: whoever asks while a transaction is in flight goes
/// in the next one, up to Azure Table's 100 operations, so a burst of new aggregates costs a few transactions instead
/// of one request each. Nobody waits for company: an idle writer sends at once. A caller's task ends when its row is
/// stored, or fails with the transaction's error (its append then fails before writing anything, as before).
/// </summary>
internal sealed class HeadsIndexWriter(TableClient table, string partition)
{
    /// <summary>Azure Table's limit on the operations of one transaction.</summary>
    public const int MaxPerTransaction = 100;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string AggregateId, TaskCompletionSource Stored)> _pending = new(StringComparer.Ordinal);
    private bool _draining;

    /// <summary>Upserts the index row <paramref name="rowKey"/> for <paramref name="aggregateId"/> (idempotent).</summary>
    public Task UpsertAsync(string rowKey, string aggregateId, CancellationToken cancellationToken)
    {
        TaskCompletionSource stored;
        var start = false;
        lock (_gate)
        {
            if (_pending.TryGetValue(rowKey, out var waiting))
            {
                stored = waiting.Stored;
            }
            else
            {
                stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _pending[rowKey] = (aggregateId, stored);
            }

            if (!_draining)
            {
                _draining = start = true;
            }
        }

        if (start)
        {
            // On the thread pool, never on the calling grain's scheduler: the drain serves every grain.
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }

        return stored.Task.WaitAsync(cancellationToken);
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            List<KeyValuePair<string, (string AggregateId, TaskCompletionSource Stored)>> batch;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _draining = false;
                    return;
                }

                batch = [.. _pending.Take(MaxPerTransaction)];
                foreach (var row in batch)
                {
                    _pending.Remove(row.Key);
                }
            }

            try
            {
                var entities = batch.Select(row => new TableEntity(partition, row.Key) { [HeadColumns.Id] = row.Value.AggregateId }).ToList();
                if (entities.Count == 1)
                {
                    await table.UpsertEntityAsync(entities[0], TableUpdateMode.Replace);
                }
                else
                {
                    await table.SubmitTransactionAsync(entities.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)));
                }

                foreach (var row in batch)
                {
                    row.Value.Stored.TrySetResult();
                }
            }
            catch (Exception ex)
            {
                foreach (var row in batch)
                {
                    row.Value.Stored.TrySetException(ex);
                }
            }
        }
    }
}
