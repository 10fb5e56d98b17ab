using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
using Kaito.Grains.EventLog;
using Kaito.Grains.Workspaces;

namespace Kaito.Grains.Bench;

/// <summary>
/// Events appended per second: through Workspace grains (AddNotes, one ConfirmEvents per call) against raw
/// Azure.Data.Tables transactions of the same rows written the same way (event rows upserted, plus the head merged
/// under its ETag) into the same Azurite, with the same number of concurrent writers and events per transaction.
/// Upsert is the stricter baseline: on Azurite it ran a little faster than plain inserts.
/// </summary>
internal sealed class AppendThroughput(IClusterClient client, TableServiceClient tables, string tablePrefix, EventRowCodec<WorkspaceEvent> codec)
{
    public const int Writers = 16;
    public const int EventsPerAppend = 10;

    private static readonly CommandSource Source = new(Actors.Api("bench"), "bench:append");
    private int _run;

    public async Task<double> ThroughGrainsAsync(int appendsPerWriter)
    {
        var run = Interlocked.Increment(ref _run);
        var grains = Enumerable.Range(0, Writers).Select(i => client.GetGrain<IWorkspaceGrain>($"bench-append/g{run}-{i}")).ToList();
        await Task.WhenAll(grains.Select(g => g.GetState()));
        var notes = Enumerable.Range(0, appendsPerWriter).Select(r => BenchEvents.Notes(EventsPerAppend, r)).ToList();

        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(grains.Select(async grain =>
        {
            foreach (var batch in notes)
            {
                await grain.AddNotes(batch, Source);
            }
        }));
        stopwatch.Stop();
        return Writers * appendsPerWriter * EventsPerAppend / stopwatch.Elapsed.TotalSeconds;
    }

    public async Task<double> RawBatchInsertsAsync(int appendsPerWriter)
    {
        var run = Interlocked.Increment(ref _run);
        var table = tables.GetTableClient(tablePrefix + "RawEvents");
        await table.CreateIfNotExistsAsync();
        var writers = Enumerable.Range(0, Writers).Select(i => PrepareWriter($"bench-append/r{run}-{i}", appendsPerWriter)).ToList();

        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(writers.Select(async transactions =>
        {
            var etag = default(ETag);
            foreach (var (head, rows) in transactions)
            {
                var actions = new List<TableTransactionAction>(rows.Count + 1)
                {
                    etag == default
                        ? new TableTransactionAction(TableTransactionActionType.Add, head)
                        : new TableTransactionAction(TableTransactionActionType.UpdateMerge, head, etag),
                };
                actions.AddRange(rows.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)));
                var response = await table.SubmitTransactionAsync(actions);
                etag = response.Value[0].Headers.ETag!.Value;
            }
        }));
        stopwatch.Stop();
        return Writers * appendsPerWriter * EventsPerAppend / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>The rows the grain path writes, built before the clock starts: raw pays for storage only.</summary>
    private List<(TableEntity Head, List<TableEntity> Rows)> PrepareWriter(string aggregateId, int appends)
    {
        var pk = PartitionKeyEncoding.Encode(aggregateId);
        var transactions = new List<(TableEntity, List<TableEntity>)>(appends);
        for (var r = 0; r < appends; r++)
        {
            var notes = BenchEvents.Notes(EventsPerAppend, r);
            var rows = notes.Select((n, i) => codec.Encode(pk, (r * EventsPerAppend) + i + 1, new WorkspaceNoteRecorded(BenchEvents.Context(i), n))).ToList();
            var head = new TableEntity(pk, "head")
            {
                ["Version"] = (r + 1) * EventsPerAppend,
                ["Phase"] = "None",
                ["Summary"] = "None",
                ["UpdatedAt"] = DateTimeOffset.UtcNow,
            };
            transactions.Add((head, rows));
        }

        return transactions;
    }
}
