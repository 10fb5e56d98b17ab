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
    private EventLogReadResult<TState>? _preloaded;
    private ETag _headETag;
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
        // Read (and decode) the log here rather than in the provider's read loop: the provider retries a failing read
        // forever, which would wedge the grain on a corrupt row. Failing here fails the activation, and every call with it.
        try
        {
            _preloaded = await _log.ReadAsync(AggregateId, cancellationToken);
        }
        catch (EventLogCorruptedException ex)
        {
            LogUnreadable(ex, _log.Kind, AggregateId, ex.Version);

            // Tearing the failed activation down makes the provider read once more; give it an empty log rather than
            // the corrupt one, which it would retry forever.
            _preloaded = new EventLogReadResult<TState>(0, new TState(), default, 0, 0);
            throw;
        }

        LogActivated(_log.Kind, AggregateId, _preloaded.Version, _preloaded.SnapshotVersion, _preloaded.EventRowsRead);
        await base.OnActivateAsync(cancellationToken);
        await RefreshNow();
        if (!IsSettled(State))
        {
            await UpdateReconcileDriverAsync();
        }
    }

    public async Task<KeyValuePair<int, TState>> ReadStateFromStorage()
    {
        var result = _preloaded ?? await _log.ReadAsync(AggregateId);
        _preloaded = null;
        _headETag = result.HeadETag;
        return new KeyValuePair<int, TState>(result.Version, result.State);
    }

    public async Task<bool> ApplyUpdatesToStorage(IReadOnlyList<TEvent> updates, int expectedVersion)
    {
        var etag = await _log.AppendAsync(AggregateId, updates, expectedVersion, _headETag, State);
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
    }

    protected override void TransitionState(TState state, TEvent @event) => ApplyEvent(state, @event);

    protected abstract void ApplyEvent(TState state, TEvent e);

    /// <summary>Records the events atomically (one append), then starts or stops the reconcile driver to match.</summary>
    protected async Task RecordAsync(IReadOnlyCollection<TEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        RaiseEvents(events);
        await ConfirmEvents();
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Activated {Kind} '{AggregateId}' at version {Version} from snapshot {SnapshotVersion} plus {EventRows} event rows")]
    private partial void LogActivated(string kind, string aggregateId, int version, int snapshotVersion, int eventRows);

    [LoggerMessage(Level = LogLevel.Error, Message = "The event log of {Kind} '{AggregateId}' is unreadable at version {Version}; activation fails")]
    private partial void LogUnreadable(Exception exception, string kind, string aggregateId, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconcile of {Kind} '{AggregateId}' ({Cause}) failed; the next tick retries")]
    private partial void LogReconcileFailed(Exception exception, string kind, string aggregateId, string cause);
}
