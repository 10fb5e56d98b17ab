using Azure;
using Azure.Data.Tables;

namespace Kaito.Failover.Bench;

/// <summary>Every aggregate's event log as stored (the silos' WorkspaceEvents and MachineEvents tables): the head's
/// version and each event row's version, type, summary and ETag, read without Orleans.</summary>
internal sealed record EventLogSnapshot(IReadOnlyDictionary<string, EventLogSnapshot.Aggregate> Aggregates)
{
    public static async Task<EventLogSnapshot> ReadAsync(TableServiceClient tables, string prefix)
    {
        var aggregates = new Dictionary<string, Aggregate>(StringComparer.Ordinal);
        foreach (var table in new[] { prefix + "WorkspaceEvents", prefix + "MachineEvents" })
        {
            try
            {
                await foreach (var row in tables.GetTableClient(table).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey", "Version", "Type", "Summary"]))
                {
                    var key = $"{table} {row.PartitionKey}";
                    if (!aggregates.TryGetValue(key, out var aggregate))
                    {
                        aggregates[key] = aggregate = new Aggregate();
                    }

                    if (row.RowKey == "head")
                    {
                        aggregate.Head = row.GetInt32("Version") ?? 0;
                    }
                    else if (row.RowKey.StartsWith('e'))
                    {
                        aggregate.Events[row.GetInt32("Version") ?? -1] = new Event(row.GetString("Type") ?? "", row.GetString("Summary") ?? "", row.ETag.ToString());
                    }
                }
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Not created: no rows.
            }
        }

        return new EventLogSnapshot(aggregates);
    }

    public int EventCount => Aggregates.Values.Sum(a => a.Committed.Count());

    /// <summary>Committed events (version up to the head) of <paramref name="before"/> missing or rewritten now, plus
    /// versions now missing below a head (a gap): events lost.</summary>
    public int LostSince(EventLogSnapshot before)
    {
        var lost = 0;
        foreach (var (key, old) in before.Aggregates)
        {
            var now = Aggregates.GetValueOrDefault(key);
            lost += old.Committed.Count(e => now is null || now.Events.GetValueOrDefault(e.Key)?.ETag != e.Value.ETag);
        }

        return lost + Aggregates.Values.Sum(a => Enumerable.Range(1, a.Head).Count(v => !a.Events.ContainsKey(v)));
    }

    /// <summary>Events committed since <paramref name="before"/>, as (aggregate, type, summary).</summary>
    public IReadOnlyList<(string Aggregate, Event Event, bool Repeat)> NewSince(EventLogSnapshot before) =>
    [
        .. Aggregates.SelectMany(a => a.Value.Committed
            .Where(e => before.Aggregates.GetValueOrDefault(a.Key)?.Events.ContainsKey(e.Key) != true)
            .Select(e => (a.Key, e.Value, Repeat: before.Aggregates.GetValueOrDefault(a.Key)?.Committed
                .Any(o => o.Value.Type == e.Value.Type && o.Value.Summary == e.Value.Summary) == true))),
    ];

    /// <summary>Decisions a BYO inference workspace makes once: a second one in the same log is an event doubled.</summary>
    public static readonly IReadOnlySet<string> Once = new HashSet<string>(StringComparer.Ordinal)
    {
        "workspace.requested", "workspace.revisionCreated", "workspace.workloadApplied", "workspace.resourceReady", "workspace.inferenceReady",
    };

    /// <summary>Aggregates that are not in <paramref name="before"/>.</summary>
    public IReadOnlyList<string> NewAggregatesSince(EventLogSnapshot before) => [.. Aggregates.Keys.Where(k => !before.Aggregates.ContainsKey(k))];

    /// <summary>Events of the <see cref="Once"/> kinds beyond the first of each in the given aggregates' logs.</summary>
    public int RepeatedDecisionsIn(IEnumerable<string> aggregates) =>
        aggregates.Sum(a => Aggregates[a].Committed.GroupBy(e => e.Value.Type).Where(g => Once.Contains(g.Key)).Sum(g => g.Count() - 1));

    /// <summary>Versions missing below the head in the given aggregates' logs.</summary>
    public int GapsIn(IEnumerable<string> aggregates) =>
        aggregates.Sum(a => Enumerable.Range(1, Aggregates[a].Head).Count(v => !Aggregates[a].Events.ContainsKey(v)));

    internal sealed class Aggregate
    {
        public int Head { get; set; }

        public Dictionary<int, Event> Events { get; } = [];

        public IEnumerable<KeyValuePair<int, Event>> Committed => Events.Where(e => e.Key >= 1 && e.Key <= Head);
    }

    internal sealed record Event(string Type, string Summary, string ETag);
}
