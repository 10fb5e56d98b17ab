using Azure;
using Azure.Data.Tables;

namespace Kaito.ControlPlane.Bench;

/// <summary>Every row of the silo's two event tables with its ETag: a new, changed or removed row is a write.</summary>
internal sealed record EventRows(IReadOnlyDictionary<string, string> ETags)
{
    public static async Task<EventRows> ReadAsync(TableServiceClient tables, string prefix)
    {
        var etags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in new[] { prefix + "WorkspaceEvents", prefix + "MachineEvents" })
        {
            try
            {
                await foreach (var row in tables.GetTableClient(table).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
                {
                    etags[$"{table} {row.PartitionKey} {row.RowKey}"] = row.ETag.ToString();
                }
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Not created yet: no rows.
            }
        }

        return new EventRows(etags);
    }

    public int Count => ETags.Count;

    public int ChangedSince(EventRows before) =>
        ETags.Keys.Union(before.ETags.Keys).Count(k => ETags.GetValueOrDefault(k) != before.ETags.GetValueOrDefault(k));
}
