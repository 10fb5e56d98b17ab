using System.Text.Json;
using k8s;
using Kaito.Api.V1Alpha1;
using Kaito.Grains.EventLog;
using Kaito.Grains.Hosting;
using Kaito.Grains.Machines;
using Kaito.Grains.Ports;
using Kaito.Grains.Retries;
using Kaito.Grains.Telemetry;
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
    private readonly IWorkspaceEventRecorder _events;
    private readonly ILogger<WorkspaceGrain> _logger;
    private readonly KaitoGrainsOptions _options;
    private readonly MachineProvisioningOptions _machines;
    private readonly CorruptLogDeletion _corruptDeletion;
    private readonly FailureBackoff _reconcileFailures;
    private readonly FailureBackoff _publishFailures;
    private readonly ProvisioningPhaseRecorder _phases;
    private int _publishedVersion = -1;
    private string? _revisionApplied;
    private bool _finalizerEnsured;
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
        ILogger<WorkspaceGrain> logger,
        IWorkspaceEventRecorder events)
        : base(log, options.Value, clock, logger)
    {
        _rules = rules;
        _kubernetes = kubernetes;
        _publisher = publisher;
        _events = events;
        _logger = logger;
        _options = options.Value;
        _machines = machines.Value;
        _corruptDeletion = new CorruptLogDeletion(grains, provisioner, kubernetes, logger);
        _reconcileFailures = new FailureBackoff(_options.ReconcileInterval, _options.FailureBackoffCap, 0.2);
        _publishFailures = new FailureBackoff(_options.ReconcileInterval, _options.FailureBackoffCap, 0.2);
        _phases = new ProvisioningPhaseRecorder(_machines.Provisioner);
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

        // Decided against the confirmed state, and again against the fresh one if another writer got there first.
        SpecApplyResult result = null!;
        var recorded = await RecordAsync(state =>
        {
            var (outcome, events) = DecideSpec(state, workspace, submission.Source);
            result = outcome;
            return events;
        });
        if (recorded.Count == 0)
        {
            return result;
        }

        if (recorded[0] is not WorkspaceSpecRejected)
        {
            StartReobservingIfLive();
            LogRevisionAccepted(AggregateId, State.Revision, State.Spec!.ShortHash, submission.Source.Actor);
            await PublishAfterPassAsync();
        }
        else
        {
            await PublishStatusAsync();
        }

        return result with { Revision = State.Revision };
    }

    private (SpecApplyResult Result, IReadOnlyList<WorkspaceEvent> Events) DecideSpec(WorkspaceState state, Workspace workspace, CommandSource source)
    {
        var key = Key;
        if (state.Phase is WorkspacePhase.Deleting or WorkspacePhase.Deleted)
        {
            return (Result(state, SpecApplyOutcome.Ignored, []), []);
        }

        var specHash = WorkspaceSpecFactory.Hash(WorkspaceSpecFactory.CanonicalSpecJson(workspace));
        if (SpecGenerations.Judge(state, workspace.Metadata!.Generation, specHash) is { } earlier)
        {
            // A redelivery or a stale copy: the decision was taken already, and recorded once.
            return (earlier == SpecApplyOutcome.Rejected
                ? Result(state, SpecApplyOutcome.Rejected, [state.RejectionMessage ?? ""])
                : Result(state, SpecApplyOutcome.Unchanged, []), []);
        }

        var generation = SpecGenerations.Of(state, workspace.Metadata!.Generation);
        var decision = state.Spec is null
            ? _rules.CheckCreate(workspace)
            : _rules.CheckUpdate(WorkspaceSpecFactory.ToWorkspace(state.Spec, key.Namespace, key.Name), workspace);
        var context = ContextFor(RequestAnnotations.SourceOf(workspace, source), generation);
        if (!decision.IsValid)
        {
            return (Result(state, SpecApplyOutcome.Rejected, decision.Errors, decision.Warnings), [new WorkspaceSpecRejected(context, [.. decision.Errors], specHash)]);
        }

        var spec = WorkspaceSpecFactory.Create(workspace, decision);
        if (state.Spec?.RevisionHash == spec.RevisionHash)
        {
            return (Result(state, SpecApplyOutcome.Unchanged, [], decision.Warnings), []);
        }

        if (state.Spec is not null)
        {
            return (Result(state, SpecApplyOutcome.Accepted, [], decision.Warnings), [new WorkspaceRevisionCreated(context, spec, state.Revision + 1)]);
        }

        // A new workspace's machines are the planner's next decision whatever the world says: recorded with the request,
        // in one append. Nothing is asked of them before the finalizer and the ControllerRevision are in place (AwaitNodes).
        return (Result(state, SpecApplyOutcome.Accepted, [], decision.Warnings),
        [
            new WorkspaceRequested(context, spec, decision.InstanceTypeReason),
            .. Enumerable.Range(0, spec.NodeCount).Select(i => new MachineProvisioningRequested(context, MachineNames.For(AggregateId, i), spec.InstanceType)),
        ]);
    }

    public async Task RequestDeletion(CommandSource source)
    {
        if (_corruption is not null)
        {
            await DeleteDespiteCorruptionAsync(source);
            return;
        }

        var recorded = await RecordAsync(state => state.Phase is WorkspacePhase.Deleting or WorkspacePhase.Deleted
            ? []
            : [new WorkspaceDeletionRequested(ContextFor(source, state.Generation))]);
        if (recorded.Count == 0)
        {
            return;
        }

        await PublishStatusAsync();
        ReconcileSoon();
    }

    public async Task ObserveWorkload(WorkloadObservation observation, CommandSource source)
    {
        ThrowIfCorrupt();
        await RecordAsync(state => WorkspaceObservationRules.OnWorkload(state, observation, ContextFor(source, state.Generation)));
        await PublishStatusAsync();
    }

    public async Task ObserveMachine(MachineReport report)
    {
        ThrowIfCorrupt();
        var source = new CommandSource(Actors.Machine(report.MachineId), $"observation:machine-{report.Phase}");
        var unitRandom = Random.Shared.NextDouble();
        var events = await RecordAsync(state =>
        {
            var context = ContextFor(source, state.Generation);
            return WithResourcesReady(state, WorkspaceObservationRules.OnMachine(state, report, context, _machines, unitRandom), context);
        });
        if (events.Count > 0)
        {
            await PublishAfterPassAsync();
        }
    }

    public async Task AddNotes(IReadOnlyList<string> notes, CommandSource source)
    {
        if (notes.Count > MaxNotesPerCall || notes.Any(n => string.IsNullOrEmpty(n) || n.Length > MaxNoteLength))
        {
            throw new ArgumentException($"Give 1-{MaxNotesPerCall} notes of 1-{MaxNoteLength} characters each.", nameof(notes));
        }

        ThrowIfCorrupt();
        await RecordAsync(state =>
        {
            var context = ContextFor(source, state.Generation);
            return [.. notes.Select(n => new WorkspaceNoteRecorded(context, n))];
        });
    }

    public Task Reconcile(CommandSource source) => ReconcileAsync(source.Cause);

    public Task<WorkspaceView> GetState()
    {
        ThrowIfCorrupt();
        return Task.FromResult(View());
    }

    protected override bool IsSettled(WorkspaceState state) => state.IsSettled;

    protected override void ApplyEvent(WorkspaceState state, WorkspaceEvent e) => state.Apply(e);

    /// <summary>Each new decision becomes a Kubernetes Event on the Workspace; one that cannot be written never fails the command.</summary>
    protected override async Task OnRecordedAsync(IReadOnlyList<WorkspaceEvent> events)
    {
        _phases.RecordEnded(State.ColdStart, events.Select(e => e.Context.At));
        try
        {
            var notices = events.SelectMany(e => WorkspaceEventNotices.For(AggregateId, e)).ToList();
            if (notices.Count > 0)
            {
                await _events.RecordAsync(notices);
            }
        }
        catch (Exception ex)
        {
            LogEventsDropped(ex, AggregateId, events.Count);
        }
    }

    protected override async Task ReconcileAsync(string cause)
    {
        ThrowIfCorrupt();
        bool ran;
        try
        {
            ran = await _reconcileFailures.RunAsync(cause, Clock.GetUtcNow(), () => ReconcilePassAsync(cause),
                (failures, delay) => LogReconcileBackoff(AggregateId, failures, delay), () => LogReconcileRecovered(AggregateId));
        }
        catch
        {
            // What the pass (or the command that brought it forward) recorded before failing is published all the same.
            await PublishStatusAsync();
            throw;
        }

        if (ran)
        {
            await PublishStatusAsync();
        }
    }

    /// <summary>Keeps stepping while a step makes progress, so one pass goes as far as the world allows.</summary>
    private async Task ReconcilePassAsync(string cause)
    {
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

    private async Task<bool> RunStepAsync(WorkspaceStep step, CommandSource source)
    {
        var context = ContextFor(source, State.Generation);
        var key = Key;
        switch (step)
        {
            case WorkspaceStep.ProvisionNodes:
                await EnsureOwnedAsync(key, always: true);
                // Ordinals are never reused: a replacement gets a new name (and so a new NodeClaim).
                var ordinal = State.Machines.Count;
                var missing = State.Spec!.NodeCount - State.LiveMachineCount;
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
                // Machines recorded with the request reach here first: nothing is asked of them before the finalizer.
                await EnsureOwnedAsync(key, always: false);
                return await AskMachinesAsync(source);
            case WorkspaceStep.MarkResourcesReady:
                await RecordAsync([new ResourcesBecameReady(context, [.. WorkspacePlanner.WorkerNodes(State)])]);
                return true;
            case WorkspaceStep.ApplyWorkload:
                await RecordAsync([await ApplyWorkloadAsync(State, context)]);
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

    /// <summary>
    /// The finalizer (so that deletion can release the machines) and the revision's ControllerRevision, before any
    /// machine is asked for a node. <paramref name="always"/> false: once per activation, as the finalizer is only ever
    /// taken off by this grain's own deletion.
    /// </summary>
    private async Task EnsureOwnedAsync(WorkspaceKey key, bool always)
    {
        if (always || !_finalizerEnsured)
        {
            await _kubernetes.EnsureFinalizerAsync(key.Namespace, key.Name);
            _finalizerEnsured = true;
        }

        await RecordControllerRevisionAsync(State, key);
    }

    /// <summary>
    /// Applies the revision's ControllerRevision once per activation and revision: both provisioning and the workload
    /// step need it to exist, and the second apply would only repeat the first.
    /// </summary>
    private async Task RecordControllerRevisionAsync(WorkspaceState state, WorkspaceKey key)
    {
        var hash = state.Spec!.ShortHash;
        if (_revisionApplied == hash)
        {
            return;
        }

        await _kubernetes.ApplyAsync(Intent(state, KubernetesKinds.ControllerRevision, $"{key.Name}-{hash}"));
        _revisionApplied = hash;
    }

    /// <summary>
    /// Applies the workload of <paramref name="state"/>'s revision (its ControllerRevision first: a new revision reaches
    /// here without provisioning) and returns the fact to record.
    /// </summary>
    private async Task<WorkloadApplied> ApplyWorkloadAsync(WorkspaceState state, EventContext context)
    {
        var key = Key;
        await RecordControllerRevisionAsync(state, key);
        var kinds = WorkspaceResources.WorkloadKinds(state.Spec!);
        foreach (var kind in kinds)
        {
            await _kubernetes.ApplyAsync(Intent(state, kind, kind == KubernetesKinds.HeadlessService ? $"{key.Name}-headless" : key.Name));
        }

        return new WorkloadApplied(context, state.Spec!.RevisionHash, kinds[^1]);
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
            var context = ContextFor(machineSource, State.Generation);
            events.AddRange(WithResourcesReady(State, WorkspaceObservationRules.OnMachine(State, report, context, _machines, Random.Shared.NextDouble()), context));
        }

        await RecordAsync(await WithWorkloadAppliedAsync(events, ContextFor(source, State.Generation)));
        return events.Count > 0;
    }

    /// <summary>
    /// When the observations just decided make the nodes ready, the planner's next step is the workload: it is applied
    /// now, on the state after them, and WorkloadApplied joins them in one append (the objects exist before the fact is
    /// recorded, as in the step itself). If the apply fails, the observations are recorded alone and the failure goes on.
    /// </summary>
    private async Task<IReadOnlyList<WorkspaceEvent>> WithWorkloadAppliedAsync(IReadOnlyList<WorkspaceEvent> events, EventContext context)
    {
        if (!events.OfType<ResourcesBecameReady>().Any())
        {
            return events;
        }

        var after = StateAfter(State, events);
        if (WorkspacePlanner.Next(after, Clock.GetUtcNow()) != WorkspaceStep.ApplyWorkload)
        {
            return events;
        }

        WorkloadApplied applied;
        try
        {
            applied = await ApplyWorkloadAsync(after, context);
        }
        catch
        {
            await RecordAsync(events);
            throw;
        }

        return [.. events, applied];
    }

    /// <summary>
    /// When a machine observation makes the last missing machine ready, the planner's next step is pure bookkeeping
    /// (ResourcesBecameReady): decided on the state after the observation and recorded in the same append, instead of a
    /// second append a step later. Anything else the planner would do next is left to the pass.
    /// </summary>
    private IReadOnlyList<WorkspaceEvent> WithResourcesReady(WorkspaceState state, IReadOnlyList<WorkspaceEvent> events, EventContext context)
    {
        if (!events.OfType<MachineReadyObserved>().Any())
        {
            return events;
        }

        var after = StateAfter(state, events);
        return WorkspacePlanner.Next(after, Clock.GetUtcNow()) == WorkspaceStep.MarkResourcesReady
            ? [.. events, new ResourcesBecameReady(context, [.. WorkspacePlanner.WorkerNodes(after)])]
            : events;
    }

    /// <summary>A copy of <paramref name="state"/> with <paramref name="events"/> applied: what the planner would see once they are recorded.</summary>
    private static WorkspaceState StateAfter(WorkspaceState state, IReadOnlyList<WorkspaceEvent> events)
    {
        var after = EventLogJson.Copy(state);
        foreach (var e in events)
        {
            after.Apply(e);
        }

        return after;
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

    private KubernetesObjectIntent Intent(WorkspaceState state, string kind, string name) => new(
        new KubernetesObjectReference(kind, Key.Namespace, name),
        AggregateId,
        state.Revision,
        state.Spec!,
        [.. state.WorkerNodes]);

    private static SpecApplyResult Result(WorkspaceState state, SpecApplyOutcome outcome, IReadOnlyList<string> errors, IReadOnlyList<string>? warnings = null) =>
        new(outcome, state.Revision, errors, warnings ?? []);

    private SpecApplyResult Result(SpecApplyOutcome outcome, IReadOnlyList<string> errors, IReadOnlyList<string>? warnings = null) =>
        Result(State, outcome, errors, warnings);

    [LoggerMessage(Level = LogLevel.Information, Message = "Workspace {WorkspaceKey} accepted revision {Revision} ({RevisionHash}) from {Actor}")]
    private partial void LogRevisionAccepted(string workspaceKey, int revision, string revisionHash, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kubernetes Events for {Count} decision(s) of Workspace {WorkspaceKey} were dropped")]
    private partial void LogEventsDropped(Exception exception, string workspaceKey, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The workload of Workspace {WorkspaceKey} is gone from the cluster; applying it again")]
    private partial void LogWorkloadMissing(string workspaceKey);
}
