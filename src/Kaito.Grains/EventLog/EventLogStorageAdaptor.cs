using Azure;
using Kaito.Grains.Telemetry;
using Microsoft.Extensions.Logging;

namespace Kaito.Grains.EventLog;

/// <summary>
/// The storage side of an <see cref="EventSourcedGrain{TState,TEvent}"/>: what its
/// <c>ICustomStorageInterface</c> methods do against the <see cref="EventLogTable{TState,TEvent}"/>. Keeps the head's
/// ETag (the guard of the next append) and the append staged by the grain's command, so that the provider writes
/// exactly what the command checked. A lost race answers false (the provider re-reads and drops the conditional
/// batch; the command decides again); a failure that committed nothing is thrown to the provider, which backs off,
/// re-reads and either finds the append committed (its id is on the head) or writes it again at the same version.
/// </summary>
public sealed partial class EventLogStorageAdaptor<TState, TEvent>
    where TState : class, new()
    where TEvent : class, IAggregateEvent
{
    /// <summary>The version reported by a re-read that found the log damaged: matches no pending batch, so none is resubmitted.</summary>
    public const int DamagedVersion = -1;

    private readonly EventLogTable<TState, TEvent> _log;
    private readonly Func<string> _aggregateId;
    private readonly EventLogCorruptionPolicy _corruption;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _firstRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ETag _headETag;
    private TState? _lastReadState;
    private int _lastReadVersion;
    private bool _mustReread = true;
    private PreparedAppend<TState, TEvent>? _staged;

    public EventLogStorageAdaptor(EventLogTable<TState, TEvent> log, Func<string> aggregateId, EventLogCorruptionPolicy corruption, ILogger logger)
    {
        _log = log;
        _aggregateId = aggregateId;
        _corruption = corruption;
        _logger = logger;
    }

    /// <summary>Completes when the provider's first read (at activation) is done, cleanly or not.</summary>
    public Task FirstRead => _firstRead.Task;

    /// <summary>The version the last read returned to the provider.</summary>
    public int LastReadVersion => _lastReadVersion;

    /// <summary>The id of the append that last moved the head, as of the last read.</summary>
    public string? LastReadAppendId { get; private set; }

    public string Kind => _log.Kind;

    /// <summary>Checks and encodes the events a command decided (throws, storing nothing, when they cannot be written) and stages them for the provider.</summary>
    public PreparedAppend<TState, TEvent> Stage(IReadOnlyList<TEvent> events, int expectedVersion, TState confirmedState)
    {
        _staged = _log.Prepare(_aggregateId(), events, expectedVersion, confirmedState);
        return _staged;
    }

    public void Unstage() => _staged = null;

    public async Task<KeyValuePair<int, TState>> ReadAsync()
    {
        // The provider asks more than once while activating; nothing can have changed until a write or a lost race.
        if (!_mustReread && _lastReadState is not null)
        {
            return new KeyValuePair<int, TState>(_lastReadVersion, _lastReadState);
        }

        EventLogReadResult<TState> result;
        try
        {
            result = await _log.ReadAsync(_aggregateId());
        }
        catch (EventLogCorruptedException ex)
        {
            var activating = _firstRead.TrySetResult();
            LogUnreadable(ex, _log.Kind, _aggregateId(), ex.Version);
            _corruption.Report(ex, activating);
            _lastReadVersion = activating ? 0 : DamagedVersion;
            return new KeyValuePair<int, TState>(_lastReadVersion, new TState());
        }

        LogRead(_log.Kind, _aggregateId(), result.Version, result.SnapshotVersion, result.EventRowsRead);
        _corruption.Clear();
        _headETag = result.HeadETag;
        _lastReadState = result.State;
        _lastReadVersion = result.Version;
        LastReadAppendId = result.AppendId;
        _mustReread = false;
        _firstRead.TrySetResult();
        return new KeyValuePair<int, TState>(result.Version, result.State);
    }

    public async Task<bool> ApplyAsync(IReadOnlyList<TEvent> updates, int expectedVersion, TState confirmedState)
    {
        _mustReread = true;
        if (_corruption.Damage is not null)
        {
            // Nothing is written to a damaged log, and nothing is reported as written: the provider re-reads, gets
            // DamagedVersion, and drops the batch; the command reports the damage.
            return false;
        }

        var append = _staged is { } staged && staged.IsFor(updates, expectedVersion)
            ? staged
            : _log.Prepare(_aggregateId(), updates, expectedVersion, confirmedState);
        ETag? etag;
        try
        {
            etag = await _log.AppendAsync(append, _headETag);
        }
        catch (Exception ex)
        {
            // Nothing committed, or the outcome is unknown: the provider backs off and re-reads, and the head tells.
            LogAppendFailed(ex, _log.Kind, _aggregateId(), expectedVersion);
            throw;
        }

        if (etag is null)
        {
            return false;
        }

        _headETag = etag.Value;
        LastReadAppendId = append.AppendId;
        KaitoMetrics.EventsAppended.Add(updates.Count, new KeyValuePair<string, object?>("kind", _log.Kind));
        return true;
    }

    public async Task ClearAsync()
    {
        await _log.DeleteAsync(_aggregateId());
        _headETag = default;
        _mustReread = true;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Read {Kind} '{AggregateId}' at version {Version} from snapshot {SnapshotVersion} plus {EventRows} event rows")]
    private partial void LogRead(string kind, string aggregateId, int version, int snapshotVersion, int eventRows);

    [LoggerMessage(Level = LogLevel.Error, Message = "The event log of {Kind} '{AggregateId}' is unreadable at version {Version}")]
    private partial void LogUnreadable(Exception exception, string kind, string aggregateId, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Append to {Kind} '{AggregateId}' after version {ExpectedVersion} failed; the provider re-reads, then writes again only if it did not commit")]
    private partial void LogAppendFailed(Exception exception, string kind, string aggregateId, int expectedVersion);
}
