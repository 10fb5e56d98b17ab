using Azure;
using Kaito.Grains.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.EventSourcing;
using Orleans.EventSourcing.CustomStorage;

namespace Kaito.Grains.EventLog;

/// <summary>
/// A journaled grain whose events live one per row in an <see cref="EventLogTable{TState,TEvent}"/> (the CustomStorage
/// log-consistency provider), with the reconcile driver: a grain timer while active, and a durable reminder while the
/// aggregate is not settled, so that progress resumes after a silo crash with no outside trigger.
/// </summary>
public abstract partial class EventSourcedGrain<TState, TEvent> : JournaledGrain<TState, TEvent>,
    ICustomStorageInterface<TState, TEvent>, IRemindable
    where TState : class, new()
    where TEvent : class, IAggregateEvent
{
    public const string ReminderName = "reconcile";

    private readonly EventLogTable<TState, TEvent> _log;
    private readonly KaitoGrainsOptions _options;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _firstRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ETag _headETag;
    private TState? _lastReadState;
    private int _lastReadVersion;
    private bool _mustReread = true;
    private EventLogCorruptedException? _corruption;
    private IGrainTimer? _timer;
    private bool _reminderRegistered;

    protected EventSourcedGrain(EventLogTable<TState, TEvent> log, KaitoGrainsOptions options, TimeProvider clock, ILogger logger)
    {
        _log = log;
        _options = options;
        Clock = clock;
        _logger = logger;
    }

    protected TimeProvider Clock { get; }

    protected string AggregateId => this.GetPrimaryKeyString();

    protected abstract bool IsSettled(TState state);

    /// <summary>One reconcile pass: decide from state, act through the ports, record what happened.</summary>
    protected abstract Task ReconcileAsync(string cause);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);

        // The provider reads the log on its own as the activation starts; wait for that read to land in State rather
        // than reading again, and fail the activation (promptly, every time) when the log is unreadable.
        await _firstRead.Task.WaitAsync(cancellationToken);
        for (var turn = 0; turn < 100 && _corruption is null && Version != _lastReadVersion; turn++)
        {
            await Task.Yield();
        }

        if (_corruption is { } corruption)
        {
            throw new EventLogCorruptedException(corruption.AggregateKind, corruption.AggregateId, corruption.Version, corruption.Reason, corruption);
        }

        if (!IsSettled(State))
        {
            await UpdateReconcileDriverAsync();
        }
    }

    public async Task<KeyValuePair<int, TState>> ReadStateFromStorage()
    {
        // The provider asks more than once while activating; nothing can have changed until a write or a lost race.
        if (!_mustReread && _lastReadState is not null)
        {
            return new KeyValuePair<int, TState>(_lastReadVersion, _lastReadState);
        }

        EventLogReadResult<TState> result;
        try
        {
            result = await _log.ReadAsync(AggregateId);
        }
        catch (EventLogCorruptedException ex)
        {
            // Never throw to the provider: it would retry the same unreadable row forever and wedge the grain.
            _corruption = ex;
            LogUnreadable(ex, _log.Kind, AggregateId, ex.Version);
            if (!_firstRead.TrySetResult())
            {
                // Damage seen on a later read (after a lost race): the write in flight fails (RecordAsync), commands
                // refuse, and the next activation reports it.
                DeactivateOnIdle();
            }

            return new KeyValuePair<int, TState>(0, new TState());
        }

        LogRead(_log.Kind, AggregateId, result.Version, result.SnapshotVersion, result.EventRowsRead);
        _corruption = null;
        _headETag = result.HeadETag;
        _lastReadState = result.State;
        _lastReadVersion = result.Version;
        _mustReread = false;
        _firstRead.TrySetResult();
        return new KeyValuePair<int, TState>(result.Version, result.State);
    }

    public async Task<bool> ApplyUpdatesToStorage(IReadOnlyList<TEvent> updates, int expectedVersion)
    {
        if (_corruption is not null)
        {
            // The log turned unreadable after activation and the caller has been told (RecordAsync). Reporting the
            // batch as stored ends the provider's retry loop so the grain can deactivate; nothing is written, and the
            // in-memory state is dropped with the activation.
            return true;
        }

        // When the batch is every unconfirmed event, the tentative state is the state after it: no copy to replay on.
        var stateAfter = UnconfirmedEvents.Count() == updates.Count ? TentativeState : null;
        var etag = await _log.AppendAsync(AggregateId, updates, expectedVersion, _headETag, State, stateAfter);
        _mustReread = true;
        if (etag is null)
        {
            return false;
        }

        _headETag = etag.Value;
        return true;
    }

    public async Task ClearStoredState()
    {
        await _log.DeleteAsync(AggregateId);
        _headETag = default;
        _mustReread = true;
    }

    protected override void TransitionState(TState state, TEvent @event) => ApplyEvent(state, @event);

    protected abstract void ApplyEvent(TState state, TEvent e);

    /// <summary>Records the events atomically (one append), then starts or stops the reconcile driver to match.</summary>
    protected async Task RecordAsync(IReadOnlyCollection<TEvent> events)
    {
        if (_corruption is { } corruption)
        {
            throw new EventLogCorruptedException(corruption.AggregateKind, corruption.AggregateId, corruption.Version, corruption.Reason, corruption);
        }

        if (events.Count == 0)
        {
            return;
        }

        RaiseEvents(events);
        await ConfirmEvents();
        if (_corruption is { } damage)
        {
            // The write lost a race and the re-read found damage: nothing was stored (ApplyUpdatesToStorage).
            throw new EventLogCorruptedException(damage.AggregateKind, damage.AggregateId, damage.Version, damage.Reason, damage);
        }

        await UpdateReconcileDriverAsync();
    }

    protected EventContext ContextFor(CommandSource source, long generation) =>
        new(Clock.GetUtcNow(), generation, source.Cause, source.Actor);

    /// <summary>Brings the next timer tick forward to now, so that a command's effects start without waiting a period.</summary>
    protected void ReconcileSoon() => _timer?.Change(TimeSpan.Zero, _options.ReconcileInterval);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (IsSettled(State))
        {
            await StopReminderAsync();
            return;
        }

        await ReconcileSafelyAsync("reminder");
    }

    protected async Task ReconcileSafelyAsync(string cause)
    {
        try
        {
            await ReconcileAsync(cause);
        }
        catch (Exception ex)
        {
            // A port failing (cluster or cloud unreachable) must not kill the driver; the next tick tries again.
            LogReconcileFailed(ex, _log.Kind, AggregateId, cause);
        }
    }

    private async Task UpdateReconcileDriverAsync()
    {
        if (IsSettled(State))
        {
            _timer?.Dispose();
            _timer = null;
            if (_reminderRegistered)
            {
                // A reminder left by an earlier activation is dropped when it next fires (ReceiveReminder).
                await StopReminderAsync();
            }

            return;
        }

        _timer ??= this.RegisterGrainTimer(
            static (grain, _) => grain.ReconcileSafelyAsync("timer"),
            this,
            new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = _options.ReconcileInterval, Interleave = false, KeepAlive = false });
        if (!_reminderRegistered)
        {
            await this.RegisterOrUpdateReminder(ReminderName, _options.ReminderPeriod, _options.ReminderPeriod);
            _reminderRegistered = true;
        }
    }

    private async Task StopReminderAsync()
    {
        var reminder = await this.GetReminder(ReminderName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }

        _reminderRegistered = false;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Read {Kind} '{AggregateId}' at version {Version} from snapshot {SnapshotVersion} plus {EventRows} event rows")]
    private partial void LogRead(string kind, string aggregateId, int version, int snapshotVersion, int eventRows);

    [LoggerMessage(Level = LogLevel.Error, Message = "The event log of {Kind} '{AggregateId}' is unreadable at version {Version}; activation fails")]
    private partial void LogUnreadable(Exception exception, string kind, string aggregateId, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconcile of {Kind} '{AggregateId}' ({Cause}) failed; the next tick retries")]
    private partial void LogReconcileFailed(Exception exception, string kind, string aggregateId, string cause);
}
