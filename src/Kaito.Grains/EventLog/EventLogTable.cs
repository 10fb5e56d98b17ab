using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;

namespace Kaito.Grains.EventLog;

/// <summary>
/// The event log of one kind of aggregate in one Azure Table: partition = aggregate id (encoded), one row per event,
/// and a head row holding the version, the latest snapshot and a one-line summary. Every append carries the head row
/// guarded by its ETag, so a stale writer is rejected; versions past the head are never read, so a half-finished
/// multi-transaction append (over 99 rows) is invisible and overwritten by the next writer.
/// </summary>
public sealed partial class EventLogTable<TState, TEvent>
    where TState : class, new()
    where TEvent : class, IAggregateEvent
{
    /// <summary>A transaction holds 100 entities: 99 events plus the head.</summary>
    public const int MaxEventsPerTransaction = 99;

    /// <summary>A transaction holds 4 MiB; keep clear of it (JSON characters count twice as UTF-16).</summary>
    private const int MaxCharactersPerTransaction = 1_500_000;

    private readonly TableClient _table;
    private readonly IAggregateDefinition<TState, TEvent> _definition;
    private readonly EventRowCodec<TEvent> _codec;
    private readonly int _snapshotEvery;
    private readonly ILogger _logger;
    private readonly Lazy<Task> _created;
    private long _eventRowsReplayed;

    public EventLogTable(TableClient table, IAggregateDefinition<TState, TEvent> definition, int snapshotEvery, ILogger logger)
    {
        _table = table;
        _definition = definition;
        _codec = new EventRowCodec<TEvent>(definition.Kind, new EventTypeRegistry<TEvent>());
        _snapshotEvery = snapshotEvery;
        _logger = logger;
        _created = new Lazy<Task>(() => _table.CreateIfNotExistsAsync());
    }

    public string TableName => _table.Name;

    public string Kind => _definition.Kind;

    public EventRowCodec<TEvent> Codec => _codec;

    /// <summary>Event rows replayed by reads since start: snapshots keep this at most SnapshotEvery per read.</summary>
    public long EventRowsReplayed => Interlocked.Read(ref _eventRowsReplayed);

    public async Task<EventLogReadResult<TState>> ReadAsync(string aggregateId, CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync();
        var pk = PartitionKeyEncoding.Encode(aggregateId);
        var headResponse = await _table.GetEntityIfExistsAsync<TableEntity>(pk, EventRowCodec<TEvent>.HeadRowKey, cancellationToken: cancellationToken);
        if (!headResponse.HasValue || headResponse.Value is null)
        {
            return new EventLogReadResult<TState>(0, new TState(), default, 0, 0);
        }

        var head = headResponse.Value;
        var version = head.GetInt32(HeadColumns.Version)
            ?? throw new EventLogCorruptedException(Kind, aggregateId, 0, "the head row has no Version");
        var (state, from) = RestoreSnapshot(aggregateId, head, version);

        var rows = 0;
        var expected = from + 1;
        // The head often carries the latest state itself: then activation is one point read.
        if (version > from)
        {
            var filter = $"PartitionKey eq '{Escape(pk)}' and RowKey gt '{EventRowCodec<TEvent>.RowKeyOf(from)}' and RowKey le '{EventRowCodec<TEvent>.RowKeyOf(version)}'";
            await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
            {
                var rowVersion = EventRowCodec<TEvent>.ParseVersion(row.RowKey);
                if (rowVersion != expected)
                {
                    throw new EventLogCorruptedException(Kind, aggregateId, expected, $"event row {expected} is missing (found {row.RowKey})");
                }

                var e = _codec.Decode(aggregateId, rowVersion, row);
                ApplyOrThrow(aggregateId, rowVersion, state, e);
                expected++;
                rows++;
            }
        }

        if (expected - 1 != version)
        {
            throw new EventLogCorruptedException(Kind, aggregateId, expected, $"event row {expected} is missing (head says version {version})");
        }

        Interlocked.Add(ref _eventRowsReplayed, rows);

        return new EventLogReadResult<TState>(version, state, head.ETag, from, rows);
    }

    /// <summary>
    /// Appends events after <paramref name="expectedVersion"/>. Returns the head's new ETag, or null when another
    /// writer got there first (the caller re-reads and tries again). <paramref name="confirmedState"/> is the state at
    /// <paramref name="expectedVersion"/>; it is not changed. <paramref name="stateAfter"/>, when the caller has it, is
    /// the state with every one of <paramref name="events"/> applied (and no other): it saves replaying them on a copy.
    /// </summary>
    public async Task<ETag?> AppendAsync(string aggregateId, IReadOnlyList<TEvent> events, int expectedVersion, ETag headETag,
        TState confirmedState, TState? stateAfter = null, CancellationToken cancellationToken = default)
    {
        if (events.Count == 0)
        {
            return headETag;
        }

        await EnsureCreatedAsync();
        var pk = PartitionKeyEncoding.Encode(aggregateId);
        var finalVersion = expectedVersion + events.Count;
        var finalHead = BuildFinalHead(aggregateId, pk, events, expectedVersion, stateAfter ?? StateAfter(aggregateId, events, expectedVersion, confirmedState));
        var chunks = Chunk(events.Select((e, i) => _codec.Encode(pk, expectedVersion + i + 1, e)).ToList());

        var etag = headETag;
        var headExists = headETag != default;
        for (var i = 0; i < chunks.Count; i++)
        {
            var last = i == chunks.Count - 1;

            // Every chunk moves the head's ETag, so a competing writer cannot slip in between two chunks unnoticed;
            // only the last one moves the version.
            var head = last ? finalHead : new TableEntity(pk, EventRowCodec<TEvent>.HeadRowKey) { [HeadColumns.AppendingTo] = finalVersion };
            if (!headExists)
            {
                head[HeadColumns.Version] = last ? finalVersion : expectedVersion;
                head[HeadColumns.Id] = aggregateId;
            }

            var actions = new List<TableTransactionAction>(chunks[i].Count + 1)
            {
                headExists
                    ? new TableTransactionAction(TableTransactionActionType.UpdateMerge, head, etag)
                    : new TableTransactionAction(TableTransactionActionType.Add, head),
            };
            actions.AddRange(chunks[i].Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)));
            try
            {
                var response = await _table.SubmitTransactionAsync(actions, cancellationToken);
                etag = response.Value[0].Headers.ETag ?? throw new InvalidOperationException("The table returned no ETag for the head row.");
                headExists = true;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
            {
                LogAppendConflict(Kind, aggregateId, expectedVersion, i, ex.Status);
                return null;
            }
        }

        return etag;
    }

    private Task EnsureCreatedAsync() => _created.Value;

    private (TState State, int From) RestoreSnapshot(string aggregateId, TableEntity head, int version)
    {
        var snapshotVersion = head.GetInt32(HeadColumns.SnapshotVersion) ?? 0;
        var snapshot = head.GetString(HeadColumns.Snapshot);
        if (snapshotVersion <= 0 || snapshotVersion > version || string.IsNullOrEmpty(snapshot))
        {
            return (new TState(), 0);
        }

        if (head.GetInt32(HeadColumns.SnapshotSchema) != _definition.SnapshotSchema)
        {
            LogSnapshotIgnored(Kind, aggregateId, snapshotVersion, "its schema is not the current one");
            return (new TState(), 0);
        }

        try
        {
            return (JsonSerializer.Deserialize<TState>(snapshot, EventLogJson.Options) ?? new TState(), snapshotVersion);
        }
        catch (JsonException ex)
        {
            // A bad snapshot costs a full replay, never the aggregate: the events are the truth.
            LogSnapshotIgnored(Kind, aggregateId, snapshotVersion, ex.Message);
            return (new TState(), 0);
        }
    }

    private TState StateAfter(string aggregateId, IReadOnlyList<TEvent> events, int expectedVersion, TState confirmedState)
    {
        var state = JsonSerializer.Deserialize<TState>(JsonSerializer.Serialize(confirmedState, EventLogJson.Options), EventLogJson.Options) ?? new TState();
        for (var i = 0; i < events.Count; i++)
        {
            ApplyOrThrow(aggregateId, expectedVersion + i + 1, state, events[i]);
        }

        return state;
    }

    private TableEntity BuildFinalHead(string aggregateId, string pk, IReadOnlyList<TEvent> events, int expectedVersion, TState state)
    {
        var finalVersion = expectedVersion + events.Count;
        var head = new TableEntity(pk, EventRowCodec<TEvent>.HeadRowKey)
        {
            [HeadColumns.Version] = finalVersion,
            [HeadColumns.AppendingTo] = finalVersion,
            [HeadColumns.Phase] = _definition.PhaseOf(state),
            [HeadColumns.Summary] = _definition.Summarize(state),
            [HeadColumns.UpdatedAt] = events[^1].Context.At,
        };
        if (expectedVersion / _snapshotEvery != finalVersion / _snapshotEvery)
        {
            var json = JsonSerializer.Serialize(state, EventLogJson.Options);
            if (json.Length <= EventRowCodec<TEvent>.MaxDataLength)
            {
                head[HeadColumns.Snapshot] = json;
                head[HeadColumns.SnapshotVersion] = finalVersion;
                head[HeadColumns.SnapshotSchema] = _definition.SnapshotSchema;
            }
            else
            {
                LogSnapshotIgnored(Kind, aggregateId, finalVersion, $"the state is {json.Length} characters, over a row's limit");
            }
        }

        return head;
    }

    private void ApplyOrThrow(string aggregateId, int version, TState state, TEvent e)
    {
        try
        {
            _definition.Apply(state, e);
        }
        catch (Exception ex)
        {
            throw new EventLogCorruptedException(Kind, aggregateId, version, $"applying '{_codec.Registry.NameOf(e)}' failed: {ex.Message}", ex);
        }
    }

    private static List<List<TableEntity>> Chunk(List<TableEntity> rows)
    {
        var chunks = new List<List<TableEntity>>();
        var current = new List<TableEntity>();
        var characters = 0;
        foreach (var row in rows)
        {
            var size = row.GetString("Data")!.Length + 512;
            if (current.Count == MaxEventsPerTransaction || (current.Count > 0 && characters + size > MaxCharactersPerTransaction))
            {
                chunks.Add(current);
                current = [];
                characters = 0;
            }

            current.Add(row);
            characters += size;
        }

        chunks.Add(current);
        return chunks;
    }

    private static string Escape(string value) => value.Replace("'", "''", StringComparison.Ordinal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Append to {Kind} '{AggregateId}' after version {ExpectedVersion} lost the race in transaction {Chunk} (HTTP {Status}); the grain re-reads")]
    private partial void LogAppendConflict(string kind, string aggregateId, int expectedVersion, int chunk, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot of {Kind} '{AggregateId}' at version {SnapshotVersion} not used: {Reason}")]
    private partial void LogSnapshotIgnored(string kind, string aggregateId, int snapshotVersion, string reason);
}
