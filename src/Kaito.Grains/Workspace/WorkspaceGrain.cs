using System.Text.Json;
using k8s;
using Kaito.Api.V1Alpha1;
using Kaito.Grains.EventLog;
using Kaito.Grains.Hosting;
using Kaito.Grains.Machines;
using Kaito.Grains.Ports;
using Kaito.Grains.Retries;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Providers;

namespace Kaito.Grains.Workspaces;

/// <summary>
/// One Workspace: takes specs and observations, records what they mean as events, and drives upstream's reconcile
/// (finalizer, revision, machines, ResourceReady, workload, InferenceReady / tuning job, deletion) through the ports.
/// </summary>
[LogConsistencyProvider(ProviderName = KaitoGrainsSiloBuilderExtensions.LogConsistencyProviderName)]
public sealed partial class WorkspaceGrain : EventSourcedGrain<WorkspaceState, WorkspaceEvent>, IWorkspaceGrain
{
    public const int MaxNoteLength = 4000;
    public const int MaxNotesPerCall = 1000;

    private readonly IWorkspaceSpecRules _rules;
    private readonly IKubernetesObjectPort _kubernetes;
    private readonly IWorkspaceStatusPublisher _publisher;
    private readonly ILogger<WorkspaceGrain> _logger;
    private readonly KaitoGrainsOptions _options;
    private readonly MachineProvisioningOptions _machines;
    private readonly CorruptLogDeletion _corruptDeletion;
    private readonly FailureBackoff _reconcileFailures;
    private readonly FailureBackoff _publishFailures;
    private int _publishedVersion = -1;
    private IGrainTimer? _publishRetry;
    private IGrainTimer? _reobserve;
    private IGrainTimer? _corruptDeletionTimer;
    private EventLogCorruptedException? _corruption;
    private bool _corruptDeletionDone;

    public WorkspaceGrain(
        EventLogTable<WorkspaceState, WorkspaceEvent> log,
        IOptions<KaitoGrainsOptions> options,
        IOptions<MachineProvisioningOptions> machines,
        TimeProvider clock,
        IWorkspaceSpecRules rules,
        IKubernetesObjectPort kubernetes,
        IWorkspaceStatusPublisher publisher,
        INodeProvisioner provisioner,
        IGrainFactory grains,
        ILogger<WorkspaceGrain> logger)
        : base(log, options.Value, clock, logger)
    {
        _rules = rules;
        _kubernetes = kubernetes;
        _publisher = publisher;
        _logger = logger;
        _options = options.Value;
        _machines = machines.Value;
        _corruptDeletion = new CorruptLogDeletion(grains, provisioner, kubernetes, logger);
        _reconcileFailures = new FailureBackoff(_options.ReconcileInterval, _options.FailureBackoffCap, 0.2);
        _publishFailures = new FailureBackoff(_options.ReconcileInterval, _options.FailureBackoffCap, 0.2);
    }

    private WorkspaceKey Key => WorkspaceKey.Parse(AggregateId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await base.OnActivateAsync(cancellationToken);
        }
        catch (EventLogCorruptedException ex)
        {
            // Stay active so that RequestDeletion can still release what this workspace owns; every other command
            // reports the damage (ThrowIfCorrupt).
            _corruption = ex;
            return;
        }

        StartReobservingIfLive();
    }

    public async Task<SpecApplyResult> ApplySpec(WorkspaceSubmission submission)
    {
        ThrowIfCorrupt();
        Workspace workspace;
        try
        {
            workspace = KubernetesJson.Deserialize<Workspace>(submission.WorkspaceJson);
        }
        catch (JsonException ex)
        {
            return Result(SpecApplyOutcome.Rejected, [$"(document): {ex.Message}"]);
        }

        var key = Key;
        var documentKey = $"{workspace.Metadata?.NamespaceProperty ?? "default"}/{workspace.Metadata?.Name}";
        if (documentKey != key.ObjectName || (key.Uid is not null && workspace.Metadata?.Uid != key.Uid))
        {
            return Result(SpecApplyOutcome.Rejected, [$"metadata: the document is Workspace {documentKey} (uid {workspace.Metadata?.Uid ?? "none"}), not {key}"]);
        }

        if (State.Phase is WorkspacePhase.Deleting or WorkspacePhase.Deleted)
        {
            return Result(SpecApplyOutcome.Ignored, []);
        }

        var specHash = WorkspaceSpecFactory.Hash(WorkspaceSpecFactory.CanonicalSpecJson(workspace));
        if (SpecGenerations.Judge(State, workspace.Metadata!.Generation, specHash) is { } earlier)
        {
            // A redelivery or a stale copy: the decision was taken already, and recorded once.
            return earlier == SpecApplyOutcome.Rejected
                ? Result(SpecApplyOutcome.Rejected, [State.RejectionMessage ?? ""])
                : Result(SpecApplyOutcome.Unchanged, []);
        }

        var generation = SpecGenerations.Of(State, workspace.Metadata!.Generation);

        var decision = State.Spec is null
            ? _rules.CheckCreate(workspace)
            : _rules.CheckUpdate(WorkspaceSpecFactory.ToWorkspace(State.Spec, key.Namespace, key.Name), workspace);
        var context = ContextFor(submission.Source, generation);
        if (!decision.IsValid)
        {
            await RecordAsync([new WorkspaceSpecRejected(context, [.. decision.Errors], specHash)]);
            await PublishStatusAsync();
            return Result(SpecApplyOutcome.Rejected, decision.Errors, decision.Warnings);
        }

        var spec = WorkspaceSpecFactory.Create(workspace, decision);
        if (State.Spec?.RevisionHash == spec.RevisionHash)
        {
            return Result(SpecApplyOutcome.Unchanged, [], decision.Warnings);
        }

        WorkspaceEvent accepted = State.Spec is null
            ? new WorkspaceRequested(context, spec)
            : new WorkspaceRevisionCreated(context, spec, State.Revision + 1);
        await RecordAsync([accepted]);
        StartReobservingIfLive();
        LogRevisionAccepted(AggregateId, State.Revision, spec.ShortHash, submission.Source.Actor);
        await PublishStatusAsync();
        ReconcileSoon();
        return Result(SpecApplyOutcome.Accepted, [], decision.Warnings);
    }

    public async Task RequestDeletion(CommandSource source)
    {
        if (_corruption is not null)
        {
            await DeleteDespiteCorruptionAsync(source);
            return;
        }

        if (State.Phase is WorkspacePhase.Deleting or WorkspacePhase.Deleted)
        {
            return;
        }

        await RecordAsync([new WorkspaceDeletionRequested(ContextFor(source, State.Generation))]);
        await PublishStatusAsync();
        ReconcileSoon();
    }

    public async Task ObserveWorkload(WorkloadObservation observation, CommandSource source)
    {
        ThrowIfCorrupt();
        await RecordAsync(WorkspaceObservationRules.OnWorkload(State, observation, ContextFor(source, State.Generation)));
        await PublishStatusAsync();
    }

    public async Task ObserveMachine(MachineReport report)
    {
        ThrowIfCorrupt();
        var source = new CommandSource(Actors.Machine(report.MachineId), $"observation:machine-{report.Phase}");
        var events = WorkspaceObservationRules.OnMachine(State, report, ContextFor(source, State.Generation), _machines, Random.Shared.NextDouble());
        await RecordAsync(events);
        if (events.Count > 0)
        {
            await PublishStatusAsync();
            ReconcileSoon();
        }
    }

    public async Task AddNotes(IReadOnlyList<string> notes, CommandSource source)
    {
        if (notes.Count > MaxNotesPerCall || notes.Any(n => string.IsNullOrEmpty(n) || n.Length > MaxNoteLength))
        {
            throw new ArgumentException($"Give 1-{MaxNotesPerCall} notes of 1-{MaxNoteLength} characters each.", nameof(notes));
        }

        ThrowIfCorrupt();
        var context = ContextFor(source, State.Generation);
        await RecordAsync([.. notes.Select(n => new WorkspaceNoteRecorded(context, n))]);
    }

    public Task Reconcile(CommandSource source) => ReconcileAsync(source.Cause);

    public Task<WorkspaceView> GetState()
    {
        ThrowIfCorrupt();
        return Task.FromResult(View());
    }

    protected override bool IsSettled(WorkspaceState state) => state.IsSettled;

    protected override void ApplyEvent(WorkspaceState state, WorkspaceEvent e) => state.Apply(e);

    protected override async Task ReconcileAsync(string cause)
    {
        ThrowIfCorrupt();
        var now = Clock.GetUtcNow();
        if (ReobserveTimers.IsDriverTick(cause) && _reconcileFailures.IsBackingOff(now))
        {
            // The last passes failed: the timer waits out the backoff; a poke from outside still runs at once.
            return;
        }

        try
        {
            // Keep stepping while a step makes progress, so one pass goes as far as the world allows.
            var source = CommandSource.Reconciler(cause);
            for (var pass = 0; pass < 8; pass++)
            {
                var step = WorkspacePlanner.Next(State, Clock.GetUtcNow());
                if (step is WorkspaceStep.None or WorkspaceStep.AwaitMachineRetry || !await RunStepAsync(step, source))
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is not EventLogCorruptedException)
        {
            var delay = _reconcileFailures.RecordFailure(now, Random.Shared.NextDouble());
            LogReconcileBackoff(AggregateId, _reconcileFailures.Failures, delay);
            throw;
        }

        if (_reconcileFailures.RecordSuccess())
        {
            LogReconcileRecovered(AggregateId);
        }

        await PublishStatusAsync();
    }

    private async Task<bool> RunStepAsync(WorkspaceStep step, CommandSource source)
    {
        var context = ContextFor(source, State.Generation);
        var key = Key;
        switch (step)
        {
            case WorkspaceStep.ProvisionNodes:
                await _kubernetes.EnsureFinalizerAsync(key.Namespace, key.Name);
                await _kubernetes.ApplyAsync(Intent(KubernetesKinds.ControllerRevision, $"{key.Name}-{State.Spec!.ShortHash}"));
                // Ordinals are never reused: a replacement gets a new name (and so a new NodeClaim).
                var ordinal = State.Machines.Count;
                var missing = State.Spec.NodeCount - State.LiveMachineCount;
                if (missing <= 0)
                {
                    return false;
                }

                if (State.Phase is WorkspacePhase.Failed)
                {
                    LogReplacing(AggregateId, State.MachineRetries, missing);
                }

                await RecordAsync([.. Enumerable.Range(ordinal, missing)
                    .Select(i => new MachineProvisioningRequested(context, MachineNames.For(AggregateId, i), State.Spec.InstanceType))]);
                await AskMachinesAsync(source);
                return true;
            case WorkspaceStep.AwaitNodes:
                return await AskMachinesAsync(source);
            case WorkspaceStep.MarkResourcesReady:
                await RecordAsync([new ResourcesBecameReady(context, [.. WorkspacePlanner.WorkerNodes(State)])]);
                return true;
            case WorkspaceStep.ApplyWorkload:
                // A new revision reaches here without provisioning: record it as a ControllerRevision too (idempotent).
                await _kubernetes.ApplyAsync(Intent(KubernetesKinds.ControllerRevision, $"{key.Name}-{State.Spec!.ShortHash}"));
                var kinds = WorkspaceResources.WorkloadKinds(State.Spec);
                foreach (var kind in kinds)
                {
                    await _kubernetes.ApplyAsync(Intent(kind, kind == KubernetesKinds.HeadlessService ? $"{key.Name}-headless" : key.Name));
                }

                await RecordAsync([new WorkloadApplied(context, State.Spec!.RevisionHash, kinds[^1])]);
                return true;
            case WorkspaceStep.ObserveWorkload:
                var observed = await _kubernetes.GetWorkloadAsync(new KubernetesObjectReference(WorkspaceResources.WorkloadKinds(State.Spec!)[^1], key.Namespace, key.Name));
                if (observed is null && State.Spec!.Mode == WorkspaceMode.Inference)
                {
                    // Deleted behind our back (kubectl delete deployment): put it back, as a controller would.
                    LogWorkloadMissing(AggregateId);
                    return await RunStepAsync(WorkspaceStep.ApplyWorkload, source);
                }

                var events = observed is null ? [] : WorkspaceObservationRules.OnWorkload(State, observed, context);
                await RecordAsync(events);
                return events.Count > 0;
            case WorkspaceStep.ReleaseMachines:
                return await ReleaseMachinesAsync(source, context, State.Machines.Values.Where(m => !m.Deleted).ToList());
            case WorkspaceStep.ReleaseFailedMachines:
                return await ReleaseMachinesAsync(source, context, State.Machines.Values.Where(m => m is { Failed: true, Deleted: false }).ToList());
            case WorkspaceStep.FinishDeletion:
                await _kubernetes.RemoveFinalizerAsync(key.Namespace, key.Name);
                await RecordAsync([new WorkspaceDeleted(context)]);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Requests every unready machine again (idempotent) and records what they report.</summary>
    private async Task<bool> AskMachinesAsync(CommandSource source)
    {
        var spec = WorkspaceResources.MachineSpec(Key, State.Spec!);
        var events = new List<WorkspaceEvent>();
        foreach (var machine in State.Machines.Values.Where(m => m is { Ready: false, Deleted: false, Failed: false }).ToList())
        {
            var grain = GrainFactory.GetGrain<IMachineGrain>(machine.MachineId);
            await grain.Request(spec, source);
            var view = await grain.GetState();
            var report = new MachineReport(view.MachineId, view.Phase, view.NodeName, view.LastErrorCode, view.LastErrorMessage);
            var machineSource = new CommandSource(Actors.Machine(machine.MachineId), $"poll:machine-{view.Phase}");
            events.AddRange(WorkspaceObservationRules.OnMachine(State, report, ContextFor(machineSource, State.Generation), _machines, Random.Shared.NextDouble()));
        }

        await RecordAsync(events);
        return events.Count > 0;
    }

    private async Task<bool> ReleaseMachinesAsync(CommandSource source, EventContext context, IReadOnlyList<WorkspaceMachineStatus> machines)
    {
        var events = new List<WorkspaceEvent>();
        foreach (var machine in machines)
        {
            var grain = GrainFactory.GetGrain<IMachineGrain>(machine.MachineId);
            bool gone;
            try
            {
                await grain.RequestDeletion(source);
                gone = (await grain.GetState()).Phase == MachinePhase.Deleted;
            }
            catch (Exception ex) when (CorruptLogDeletion.IsCorruption(ex))
            {
                // The machine's own log is unreadable: release its node through the provisioner, record it here.
                gone = await _corruptDeletion.ReleaseDirectlyAsync(AggregateId, machine.MachineId);
            }

            if (gone)
            {
                events.Add(new MachineDeletionObserved(context, machine.MachineId));
            }
        }

        await RecordAsync(events);
        return events.Count > 0;
    }

    private KubernetesObjectIntent Intent(string kind, string name) => new(
        new KubernetesObjectReference(kind, Key.Namespace, name),
        AggregateId,
        State.Revision,
        State.Spec!,
        [.. State.WorkerNodes]);

    /// <summary>
    /// Publishes the state unless this version already landed. A failure is retried on its own timer with backoff
    /// until it lands, even when the workspace has settled and no reconcile timer runs.
    /// </summary>
    private async Task PublishStatusAsync()
    {
        if (_publishedVersion == Version)
        {
            return;
        }

        var version = Version;
        try
        {
            await _publisher.PublishAsync(View());
            _publishedVersion = version;
            _publishFailures.RecordSuccess();
            _publishRetry?.Dispose();
            _publishRetry = null;
        }
        catch (Exception ex)
        {
            var delay = _publishFailures.RecordFailure(Clock.GetUtcNow(), Random.Shared.NextDouble());
            LogPublishFailed(ex, AggregateId, version, _publishFailures.Failures, delay);
            _publishRetry ??= this.RegisterGrainTimer(
                static (grain, _) => grain.PublishStatusAsync(),
                this,
                new GrainTimerCreationOptions { DueTime = delay, Period = Timeout.InfiniteTimeSpan, Interleave = false, KeepAlive = true });
            _publishRetry.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>A workspace with no accepted spec (or deleted) keeps no timer, so it does not keep its activation.</summary>
    private void StartReobservingIfLive()
    {
        if (_reobserve is null && State.Phase is not (WorkspacePhase.None or WorkspacePhase.Deleted))
        {
            _reobserve = ReobserveTimers.Start(this, _options, static grain => grain.ReobserveAsync());
        }
    }

    /// <summary>The slow cadence: a settled Ready workspace looks at its workload again (a poke from the watch may have been missed).</summary>
    private async Task ReobserveAsync()
    {
        if (_corruption is not null || State.Phase is WorkspacePhase.Deleted)
        {
            _reobserve?.Dispose();
            _reobserve = null;
            return;
        }

        if (State.Phase is WorkspacePhase.Ready)
        {
            await ReconcileSafelyAsync(ReobserveTimers.Cause);
        }
    }

    private async Task DeleteDespiteCorruptionAsync(CommandSource source)
    {
        if (_corruptDeletionDone)
        {
            return;
        }

        if (_corruptDeletionTimer is null)
        {
            LogDeletingCorrupt(_corruption!, AggregateId, _corruption!.Version);
        }

        if (await _corruptDeletion.RunPassAsync(Key, source))
        {
            _corruptDeletionDone = true;
            _corruptDeletionTimer?.Dispose();
            _corruptDeletionTimer = null;
            return;
        }

        // Nothing durable drives this aggregate (its log cannot be written): a timer keeps the activation and repeats
        // the pass until every machine is gone; the watch's next delivery of the deletion starts it again after a restart.
        _corruptDeletionTimer ??= this.RegisterGrainTimer(
            static async (grain, _) =>
            {
                try
                {
                    await grain.DeleteDespiteCorruptionAsync(CommandSource.Reconciler("timer:corrupt-deletion"));
                }
                catch (Exception ex)
                {
                    grain.LogCorruptDeletionPassFailed(ex, grain.AggregateId);
                }
            },
            this,
            new GrainTimerCreationOptions { DueTime = _options.ReconcileInterval, Period = _options.ReconcileInterval, Interleave = false, KeepAlive = true });
    }

    private void ThrowIfCorrupt()
    {
        if (_corruption is { } c)
        {
            if (_corruptDeletionTimer is null)
            {
                // Let the next call read the log again: a repaired row brings the workspace back.
                DeactivateOnIdle();
            }

            throw new EventLogCorruptedException(c.AggregateKind, c.AggregateId, c.Version, c.Reason, c);
        }
    }

    private WorkspaceView View() =>
        WorkspaceViews.From(AggregateId, Version, State, _reconcileFailures.Failures, _publishFailures.Failures);

    private SpecApplyResult Result(SpecApplyOutcome outcome, IReadOnlyList<string> errors, IReadOnlyList<string>? warnings = null) =>
        new(outcome, State.Revision, errors, warnings ?? []);

    [LoggerMessage(Level = LogLevel.Information, Message = "Workspace {WorkspaceKey} accepted revision {Revision} ({RevisionHash}) from {Actor}")]
    private partial void LogRevisionAccepted(string workspaceKey, int revision, string revisionHash, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The workload of Workspace {WorkspaceKey} is gone from the cluster; applying it again")]
    private partial void LogWorkloadMissing(string workspaceKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing the status of Workspace {WorkspaceKey} at version {Version} failed ({Failures} in a row); retrying in {Delay}")]
    private partial void LogPublishFailed(Exception exception, string workspaceKey, int version, int failures, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconcile of Workspace {WorkspaceKey} failed {Failures} time(s) in a row; the timer waits {Delay}")]
    private partial void LogReconcileBackoff(string workspaceKey, int failures, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconcile of Workspace {WorkspaceKey} succeeds again")]
    private partial void LogReconcileRecovered(string workspaceKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workspace {WorkspaceKey}: requesting {Missing} replacement machine(s) after a machine failure (replacement {Retry})")]
    private partial void LogReplacing(string workspaceKey, int retry, int missing);

    [LoggerMessage(Level = LogLevel.Error, Message = "Workspace {WorkspaceKey} is being deleted but its event log is unreadable at version {Version}; releasing its machines without it")]
    private partial void LogDeletingCorrupt(Exception exception, string workspaceKey, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A deletion pass of Workspace {WorkspaceKey} (unreadable log) failed; the next tick retries")]
    private partial void LogCorruptDeletionPassFailed(Exception exception, string workspaceKey);
}
