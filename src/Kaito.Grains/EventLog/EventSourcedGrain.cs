using System.Diagnostics;
using Kaito.Grains.Hosting;
using Kaito.Grains.Telemetry;
using Microsoft.Extensions.Logging;
using Orleans.EventSourcing;
using Orleans.EventSourcing.CustomStorage;

namespace Kaito.Grains.EventLog;

/// <summary>
/// A journaled grain whose events live one per row in an <see cref="EventLogTable{TState,TEvent}"/>. Three pieces,
/// each in its own file: <see cref="EventLogStorageAdaptor{TState,TEvent}"/> (the CustomStorage interface: reads,
/// idempotent appends), <see cref="EventLogCorruptionPolicy"/> (an unreadable log fails fast, never wedges) and
/// <see cref="ReconcileDriver"/> (timer + reminder while unsettled). Commands record through
/// <see cref="RecordAsync(Func{TState, IReadOnlyList{TEvent}})"/>: decide against the confirmed state, write only if
/// nobody wrote in between, and decide again from the fresh state after a lost race.
/// </summary>
public abstract partial class EventSourcedGrain<TState, TEvent> : JournaledGrain<TState, TEvent>,
    ICustomStorageInterface<TState, TEvent>, IRemindable
    where TState : class, new()
    where TEvent : class, IAggregateEvent
{
    public const string ReminderName = ReconcileDriver.ReminderName;

    /// <summary>Decisions a command makes before giving up on a log that keeps moving under it.</summary>
    public const int MaxDecisions = 10;

    private readonly EventLogStorageAdaptor<TState, TEvent> _storage;
    private readonly EventLogCorruptionPolicy _corruption;
    private readonly ReconcileDriver _driver;
    private readonly ILogger _logger;

    protected EventSourcedGrain(EventLogTable<TState, TEvent> log, KaitoGrainsOptions options, TimeProvider clock, ILogger logger)
    {
        Clock = clock;
        _logger = logger;
        _corruption = new EventLogCorruptionPolicy(DeactivateOnIdle);
        _storage = new EventLogStorageAdaptor<TState, TEvent>(log, () => AggregateId, _corruption, logger);
        _driver = new ReconcileDriver(this, ReconcileSafelyAsync, options);
    }

    protected TimeProvider Clock { get; }

    protected string AggregateId => this.GetPrimaryKeyString();

    /// <summary>The damage found in this aggregate's log, or null while it reads cleanly.</summary>
    protected EventLogCorruptedException? LogDamage => _corruption.Damage;

    protected abstract bool IsSettled(TState state);

    /// <summary>
    /// False when another aggregate brings this one back after a crash while it is unsettled (its owner's own
    /// reminder and passes call it), so it needs no durable reminder of its own. True unless overridden.
    /// </summary>
    protected virtual bool NeedsOwnReminder(TState state) => true;

    /// <summary>One reconcile pass: decide from state, act through the ports, record what happened.</summary>
    protected abstract Task ReconcileAsync(string cause);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);

        // The provider reads the log on its own as the activation starts; wait for that read to land in State rather
        // than reading again, and fail the activation (promptly, every time) when the log is unreadable.
        await _storage.FirstRead.WaitAsync(cancellationToken);
        for (var turn = 0; turn < 100 && _corruption.Damage is null && Version != _storage.LastReadVersion; turn++)
        {
            await Task.Yield();
        }

        _corruption.ThrowIfDamaged();
        if (!IsSettled(State))
        {
            await _driver.UpdateAsync(settled: false, NeedsOwnReminder(State));
        }
    }

    public Task<KeyValuePair<int, TState>> ReadStateFromStorage() => _storage.ReadAsync();

    public Task<bool> ApplyUpdatesToStorage(IReadOnlyList<TEvent> updates, int expectedVersion) =>
        _storage.ApplyAsync(updates, expectedVersion, State);

    public Task ClearStoredState() => _storage.ClearAsync();

    protected override void TransitionState(TState state, TEvent @event) => ApplyEvent(state, @event);

    protected abstract void ApplyEvent(TState state, TEvent e);

    /// <summary>
    /// Decides and records: <paramref name="decide"/> gets the confirmed state and returns the events it means (none:
    /// nothing to record). They are written only if no other writer moved the log since that state was read; after a
    /// lost race the state is read again and <paramref name="decide"/> runs again on it, so no event decided against
    /// an old state is ever stored. Returns the events recorded. Throws <see cref="EventTooLargeException"/> (or
    /// <see cref="InvalidOperationException"/> for an event that does not apply) with nothing stored; the grain keeps
    /// serving. <paramref name="decide"/> may run several times: keep it free of side effects.
    /// </summary>
    protected async Task<IReadOnlyList<TEvent>> RecordAsync(Func<TState, IReadOnlyList<TEvent>> decide)
    {
        for (var decision = 1; ; decision++)
        {
            _corruption.ThrowIfDamaged();
            var events = decide(State);
            if (events.Count == 0)
            {
                return events;
            }

            if (await TryRecordAsync(events))
            {
                await _driver.UpdateAsync(IsSettled(State), NeedsOwnReminder(State));
                await OnRecordedAsync(events);
                return events;
            }

            if (decision == MaxDecisions)
            {
                throw new InvalidOperationException($"{_storage.Kind} '{AggregateId}': the log moved under {MaxDecisions} decisions in a row; nothing was recorded.");
            }

            LogDecidingAgain(_storage.Kind, AggregateId, Version, decision);
        }
    }

    /// <summary>
    /// Records events decided against the current <c>State</c>, once: true when stored; false when another writer got
    /// there first, in which case nothing was stored, <c>State</c> is the fresh one, and the caller decides again from
    /// it (a reconcile pass plans its next step; a command uses <see cref="RecordAsync(Func{TState, IReadOnlyList{TEvent}})"/>).
    /// </summary>
    protected async Task<bool> RecordAsync(IReadOnlyCollection<TEvent> events)
    {
        _corruption.ThrowIfDamaged();
        if (events.Count == 0)
        {
            return true;
        }

        if (!await TryRecordAsync([.. events]))
        {
            LogDroppedAfterLostRace(_storage.Kind, AggregateId, events.Count, Version);
            return false;
        }

        await _driver.UpdateAsync(IsSettled(State), NeedsOwnReminder(State));
        await OnRecordedAsync([.. events]);
        return true;
    }

    /// <summary>
    /// Runs once for events just appended by this activation (never for events read back on activation or replay), so
    /// that a side effect announcing a decision (a Kubernetes Event) happens once per decision. Must not throw.
    /// </summary>
    protected virtual Task OnRecordedAsync(IReadOnlyList<TEvent> events) => Task.CompletedTask;

    protected EventContext ContextFor(CommandSource source, long generation) =>
        new(Clock.GetUtcNow(), generation, source.Cause, source.Actor);

    /// <summary>Brings the next timer tick forward to now, so that a command's effects start without waiting a period.</summary>
    protected void ReconcileSoon() => _driver.TickSoon();

    public Task ReceiveReminder(string reminderName, TickStatus status) => _driver.OnReminderAsync(IsSettled(State));

    protected async Task ReconcileSafelyAsync(string cause)
    {
        using var activity = KaitoMetrics.ActivitySource.StartActivity($"{_storage.Kind} reconcile");
        activity?.SetTag("kaito.aggregate", AggregateId);
        activity?.SetTag("kaito.cause", cause);
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        try
        {
            await ReconcileAsync(cause);
        }
        catch (Exception ex)
        {
            // A port failing (cluster or cloud unreachable) must not kill the driver; the next tick tries again.
            outcome = "failed";
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            LogReconcileFailed(ex, _storage.Kind, AggregateId, cause);
        }

        KaitoMetrics.ReconcileDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>("kind", _storage.Kind), new KeyValuePair<string, object?>("outcome", outcome));
    }

    /// <summary>One conditional write of events decided at the current version; false after a lost race (State is then fresh).</summary>
    private async Task<bool> TryRecordAsync(IReadOnlyList<TEvent> events)
    {
        // Everything that can fail for good (size, apply, summary) fails here, before the provider sees the events.
        var append = _storage.Stage(events, Version, State);
        bool stored;
        try
        {
            stored = await RaiseConditionalEvents(events);
        }
        finally
        {
            _storage.Unstage();
        }

        if (stored)
        {
            return true;
        }

        // Damage found by the re-read: nothing was stored (the adaptor refuses to write to a damaged log).
        _corruption.ThrowIfDamaged();

        // The write reported a failure but the re-read shows the head carrying this append: it committed, once.
        return _storage.LastReadAppendId == append.AppendId;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} '{AggregateId}' lost the race (now at version {Version}); deciding again, decision {Decision}")]
    private partial void LogDecidingAgain(string kind, string aggregateId, int version, int decision);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} '{AggregateId}': {Count} events decided on an old state were dropped after a lost race (now at version {Version})")]
    private partial void LogDroppedAfterLostRace(string kind, string aggregateId, int count, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconcile of {Kind} '{AggregateId}' ({Cause}) failed; the next tick retries")]
    private partial void LogReconcileFailed(Exception exception, string kind, string aggregateId, string cause);
}
