using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;

namespace Kaito.Grains.EventLog;

/// <summary>
/// The event log of one kind of aggregate in one Azure Table: partition = aggregate id (encoded), one row per event,
/// and a head row holding the version, the latest snapshot, a one-line summary and the id of the last append. Every
/// append carries the head row guarded by its ETag, so a stale writer is rejected; versions past the head are never
/// read, so a half-finished multi-transaction append (over 99 rows) is invisible and overwritten by the next writer.
/// After an ambiguous outcome (a retry answered 409/412, a 5xx or a dropped connection after the send) the writer
/// reads the head back: it carries the append's id if and only if the append committed, so no event is stored twice.
/// </summary>
public sealed partial class EventLogTable<TState, TEvent>
    where TState : class, new()
    where TEvent : class, IAggregateEvent
{
    /// <summary>A transaction holds 100 entities: 99 events plus the head.</summary>
    public const int MaxEventsPerTransaction = 99;

    /// <summary>A transaction holds 4 MiB; rows are counted at their stored size (two bytes a character) and kept under 3 MiB.</summary>
    private const long MaxBytesPerTransaction = 3L * 1024 * 1024;

    private readonly TableClient _table;
    private readonly IAggregateDefinition<TState, TEvent> _definition;
    private readonly EventRowCodec<TEvent> _codec;
    private readonly int _snapshotEvery;
    private readonly ILogger _logger;
    private readonly Lock _creating = new();
    private readonly HeadsIndexWriter _index;
    private Task? _created;
    private long _eventRowsReplayed;

    public EventLogTable(TableClient table, IAggregateDefinition<TState, TEvent> definition, int snapshotEvery, ILogger logger)
    {
        _table = table;
        _definition = definition;
        _codec = new EventRowCodec<TEvent>(definition.Kind, new EventTypeRegistry<TEvent>());
        _snapshotEvery = snapshotEvery;
        _logger = logger;
        _index = new HeadsIndexWriter(table, HeadsIndexPartition);
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
        if (head.GetBoolean(HeadColumns.Indexed) != true && version > 0)
        {
            // Written before this log kept a heads index: list it from now on (the next append marks the head).
            await IndexAsync(pk, aggregateId, cancellationToken);
        }

        return new EventLogReadResult<TState>(version, state, head.ETag, from, rows, head.GetString(HeadColumns.AppendId));
    }

    /// <summary>
    /// Appends events after <paramref name="expectedVersion"/>. Returns the head's new ETag, or null when another
    /// writer got there first (the caller re-reads and decides again). <paramref name="confirmedState"/> is the state at
    /// <paramref name="expectedVersion"/>; it is not changed. <paramref name="stateAfter"/>, when the caller has it, is
    /// the state with every one of <paramref name="events"/> applied (and no other): it saves replaying them on a copy.
    /// </summary>
    public async Task<ETag?> AppendAsync(string aggregateId, IReadOnlyList<TEvent> events, int expectedVersion, ETag headETag,
        TState confirmedState, TState? stateAfter = null, CancellationToken cancellationToken = default) =>
        events.Count == 0
            ? headETag
            : await AppendAsync(Prepare(aggregateId, events, expectedVersion, confirmedState, stateAfter), headETag, cancellationToken);

    /// <summary>
    /// Sends a prepared append guarded by <paramref name="headETag"/> (default: the aggregate has no head yet). Returns
    /// the head's new ETag, or null when another writer got there first. After an ambiguous outcome the head is read
    /// back: it carries this append's id exactly when the append committed. Throws when the outcome is a plain failure
    /// (nothing committed) or cannot be known (the read-back failed too); the caller re-reads before writing again.
    /// </summary>
    public async Task<ETag?> AppendAsync(PreparedAppend<TState, TEvent> append, ETag headETag, CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync();
        var pk = append.PartitionKey;
        var headExists = headETag != default;
        if (!headExists && append.ExpectedVersion == 0)
        {
            // Listed before it exists, never the other way round: the list skips an index row with no head.
            await IndexAsync(pk, append.AggregateId, cancellationToken);
        }

        var etag = headETag;
        for (var i = 0; i < append.Chunks.Count; i++)
        {
            var last = i == append.Chunks.Count - 1;

            // Every chunk moves the head's ETag, so a competing writer cannot slip in between two chunks unnoticed;
            // only the last one moves the version.
            var head = last
                ? append.FinalHead
                : new TableEntity(pk, EventRowCodec<TEvent>.HeadRowKey) { [HeadColumns.AppendingTo] = append.FinalVersion, [HeadColumns.AppendId] = append.AppendId };
            head[HeadColumns.AppendChunk] = i;
            if (!headExists)
            {
                head[HeadColumns.Version] = last ? append.FinalVersion : append.ExpectedVersion;
                head[HeadColumns.Id] = append.AggregateId;
            }

            var actions = new List<TableTransactionAction>(append.Chunks[i].Count + 1)
            {
                headExists
                    ? new TableTransactionAction(TableTransactionActionType.UpdateMerge, head, etag)
                    : new TableTransactionAction(TableTransactionActionType.Add, head),
            };
            actions.AddRange(append.Chunks[i].Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)));
            try
            {
                var response = await _table.SubmitTransactionAsync(actions, cancellationToken);
                etag = response.Value[0].Headers.ETag ?? throw new InvalidOperationException("The table returned no ETag for the head row.");
            }
            catch (Exception ex) when ((ex is RequestFailedException or IOException or TimeoutException or OperationCanceledException)
                && !cancellationToken.IsCancellationRequested)
            {
                // A 409/412 may answer a retry of an attempt that committed; a 5xx or a dropped connection may follow a
                // commit. The head says which: it carries this append's id (and chunk) exactly when this chunk committed.
                var committed = await ReadBackAsync(append, i, ex, cancellationToken);
                if (committed is { } confirmed)
                {
                    LogAmbiguousCommitted(Kind, append.AggregateId, append.ExpectedVersion, i, Describe(ex));
                    etag = confirmed;
                }
                else if (IsConflict(ex))
                {
                    LogAppendConflict(Kind, append.AggregateId, append.ExpectedVersion, i, ((RequestFailedException)ex).Status);
                    return null;
                }
                else
                {
                    throw;
                }
            }

            headExists = true;
        }

        return etag;
    }

    private static bool IsConflict(Exception ex) => ex is RequestFailedException { Status: 409 or 412 };

    private static string Describe(Exception ex) => ex is RequestFailedException r ? $"HTTP {r.Status}" : ex.GetType().Name;

    /// <summary>The head's ETag when it shows that chunk <paramref name="chunk"/> of the append committed; null when it shows it did not.</summary>
    private async Task<ETag?> ReadBackAsync(PreparedAppend<TState, TEvent> append, int chunk, Exception failure, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> head;
        try
        {
            head = await _table.GetEntityIfExistsAsync<TableEntity>(append.PartitionKey, EventRowCodec<TEvent>.HeadRowKey,
                [HeadColumns.AppendId, HeadColumns.AppendChunk, HeadColumns.Version], cancellationToken);
        }
        catch (Exception ex) when (ex is RequestFailedException or IOException or TimeoutException or OperationCanceledException)
        {
            LogOutcomeUnknown(ex, Kind, append.AggregateId, append.ExpectedVersion, Describe(failure));
            throw new AggregateException($"The outcome of an append to {Kind} '{append.AggregateId}' after version {append.ExpectedVersion} is unknown: the append failed ({Describe(failure)}) and so did reading the head back.", failure, ex);
        }

        if (!head.HasValue || head.Value is not { } row || row.GetString(HeadColumns.AppendId) != append.AppendId || row.GetInt32(HeadColumns.AppendChunk) != chunk)
        {
            return null;
        }

        var last = chunk == append.Chunks.Count - 1;
        return !last || row.GetInt32(HeadColumns.Version) == append.FinalVersion ? row.ETag : null;
    }

    /// <summary>Puts the aggregate in the heads index (idempotent): membership only, the head stays the one source of its data.</summary>
    private Task IndexAsync(string pk, string aggregateId, CancellationToken cancellationToken) =>
        _index.UpsertAsync(pk, aggregateId, cancellationToken);

    private async Task EnsureCreatedAsync()
    {
        Task created;
        lock (_creating)
        {
            // A failed creation is tried again by the next caller, never remembered for the process lifetime.
            if (_created is null || _created.IsFaulted || _created.IsCanceled)
            {
                _created = _table.CreateIfNotExistsAsync();
            }

            created = _created;
        }

        await created;
    }

    private (TState State, int From) RestoreSnapshot(string aggregateId, TableEntity head, int version)
    {
        var snapshotVersion = head.GetInt32(HeadColumns.SnapshotVersion) ?? 0;
        var snapshot = SplitColumn.Read(head, HeadColumns.Snapshot, head.GetInt32(HeadColumns.SnapshotParts) ?? 1);
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

    private static string Escape(string value) => value.Replace("'", "''", StringComparison.Ordinal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Append to {Kind} '{AggregateId}' after version {ExpectedVersion} lost the race in transaction {Chunk} (HTTP {Status}); the grain re-reads and decides again")]
    private partial void LogAppendConflict(string kind, string aggregateId, int expectedVersion, int chunk, int status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Append to {Kind} '{AggregateId}' after version {ExpectedVersion} (transaction {Chunk}) answered {Outcome} but the head carries its id: it committed once")]
    private partial void LogAmbiguousCommitted(string kind, string aggregateId, int expectedVersion, int chunk, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Append to {Kind} '{AggregateId}' after version {ExpectedVersion} failed ({Outcome}) and the head could not be read back; the grain re-reads before writing again")]
    private partial void LogOutcomeUnknown(Exception exception, string kind, string aggregateId, int expectedVersion, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot of {Kind} '{AggregateId}' at version {SnapshotVersion} not used: {Reason}")]
    private partial void LogSnapshotIgnored(string kind, string aggregateId, int snapshotVersion, string reason);
}
