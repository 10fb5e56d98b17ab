using System.Text.Json;
using k8s;
using Kaito.Api.V1Alpha1;
using Kaito.Grains.EventLog;
using Kaito.Grains.Hosting;
using Kaito.Grains.Machines;
using Kaito.Grains.Ports;
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
    private int _publishedVersion = -1;

    public WorkspaceGrain(
        EventLogTable<WorkspaceState, WorkspaceEvent> log,
        IOptions<KaitoGrainsOptions> options,
        TimeProvider clock,
        IWorkspaceSpecRules rules,
        IKubernetesObjectPort kubernetes,
        IWorkspaceStatusPublisher publisher,
        ILogger<WorkspaceGrain> logger)
        : base(log, options.Value, clock, logger)
    {
        _rules = rules;
        _kubernetes = kubernetes;
        _publisher = publisher;
        _logger = logger;
    }

    private WorkspaceKey Key => WorkspaceKey.Parse(AggregateId);

    public async Task<SpecApplyResult> ApplySpec(WorkspaceSubmission submission)
    {
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
            LogRevisionAccepted(AggregateId, State.Revision, State.Spec!.ShortHash, submission.Source.Actor);
            ReconcileSoon();
        }

        await PublishStatusAsync();
        return result with { Revision = State.Revision };
    }

    private (SpecApplyResult Result, IReadOnlyList<WorkspaceEvent> Events) DecideSpec(WorkspaceState state, Workspace workspace, CommandSource source)
    {
        var key = Key;

        // Documents from the API may carry no generation: then each different spec counts as the next one.
        var generation = workspace.Metadata!.Generation ?? (state.Spec is null ? 1 : state.Generation + 1);
        if (state.Phase is WorkspacePhase.Deleting or WorkspacePhase.Deleted)
        {
            return (Result(state, SpecApplyOutcome.Ignored, []), []);
        }

        if ((state.Spec is not null && generation <= state.Generation) || state.RejectedGeneration == generation)
        {
            // A redelivery or a stale copy: the decision was taken already, and recorded once.
            return (state.RejectedGeneration == generation
                ? Result(state, SpecApplyOutcome.Rejected, [state.RejectionMessage ?? ""])
                : Result(state, SpecApplyOutcome.Unchanged, []), []);
        }

        var decision = state.Spec is null
            ? _rules.CheckCreate(workspace)
            : _rules.CheckUpdate(WorkspaceSpecFactory.ToWorkspace(state.Spec, key.Namespace, key.Name), workspace);
        var context = ContextFor(source, generation);
        if (!decision.IsValid)
        {
            return (Result(state, SpecApplyOutcome.Rejected, decision.Errors, decision.Warnings), [new WorkspaceSpecRejected(context, [.. decision.Errors])]);
        }

        var spec = WorkspaceSpecFactory.Create(workspace, decision);
        if (state.Spec?.RevisionHash == spec.RevisionHash)
        {
            return (Result(state, SpecApplyOutcome.Unchanged, [], decision.Warnings), []);
        }

        WorkspaceEvent accepted = state.Spec is null
            ? new WorkspaceRequested(context, spec)
            : new WorkspaceRevisionCreated(context, spec, state.Revision + 1);
        return (Result(state, SpecApplyOutcome.Accepted, [], decision.Warnings), [accepted]);
    }

    public async Task RequestDeletion(CommandSource source)
    {
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
        await RecordAsync(state => WorkspaceObservationRules.OnWorkload(state, observation, ContextFor(source, state.Generation)));
        await PublishStatusAsync();
    }

    public async Task ObserveMachine(MachineReport report)
    {
        var source = new CommandSource(Actors.Machine(report.MachineId), $"observation:machine-{report.Phase}");
        var events = await RecordAsync(state => WorkspaceObservationRules.OnMachine(state, report, ContextFor(source, state.Generation)));
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

        await RecordAsync(state =>
        {
            var context = ContextFor(source, state.Generation);
            return [.. notes.Select(n => new WorkspaceNoteRecorded(context, n))];
        });
    }

    public Task Reconcile(CommandSource source) => ReconcileAsync(source.Cause);

    public Task<WorkspaceView> GetState() => Task.FromResult(WorkspaceViews.From(AggregateId, Version, State));

    protected override bool IsSettled(WorkspaceState state) => state.IsSettled;

    protected override void ApplyEvent(WorkspaceState state, WorkspaceEvent e) => state.Apply(e);

    protected override async Task ReconcileAsync(string cause)
    {
        var source = CommandSource.Reconciler(cause);

        // Keep stepping while a step makes progress, so one pass goes as far as the world allows.
        for (var pass = 0; pass < 8; pass++)
        {
            var step = WorkspacePlanner.Next(State);
            if (step == WorkspaceStep.None || !await RunStepAsync(step, source))
            {
                break;
            }
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
                var ordinal = State.Machines.Count;
                var missing = State.Spec.NodeCount - State.LiveMachineCount;
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
                return await ReleaseMachinesAsync(source, context);
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
        foreach (var machine in State.Machines.Values.Where(m => m is { Ready: false, Deleted: false }).ToList())
        {
            var grain = GrainFactory.GetGrain<IMachineGrain>(machine.MachineId);
            await grain.Request(spec, source);
            var view = await grain.GetState();
            var report = new MachineReport(view.MachineId, view.Phase, view.NodeName, view.LastErrorCode, view.LastErrorMessage);
            var machineSource = new CommandSource(Actors.Machine(machine.MachineId), $"poll:machine-{view.Phase}");
            events.AddRange(WorkspaceObservationRules.OnMachine(State, report, ContextFor(machineSource, State.Generation)));
        }

        await RecordAsync(events);
        return events.Count > 0;
    }

    private async Task<bool> ReleaseMachinesAsync(CommandSource source, EventContext context)
    {
        var events = new List<WorkspaceEvent>();
        foreach (var machine in State.Machines.Values.Where(m => !m.Deleted).ToList())
        {
            var grain = GrainFactory.GetGrain<IMachineGrain>(machine.MachineId);
            await grain.RequestDeletion(source);
            if ((await grain.GetState()).Phase == MachinePhase.Deleted)
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

    private async Task PublishStatusAsync()
    {
        if (_publishedVersion == Version)
        {
            return;
        }

        try
        {
            await _publisher.PublishAsync(WorkspaceViews.From(AggregateId, Version, State));
            _publishedVersion = Version;
        }
        catch (Exception ex)
        {
            LogPublishFailed(ex, AggregateId, Version);
        }
    }

    private static SpecApplyResult Result(WorkspaceState state, SpecApplyOutcome outcome, IReadOnlyList<string> errors, IReadOnlyList<string>? warnings = null) =>
        new(outcome, state.Revision, errors, warnings ?? []);

    private SpecApplyResult Result(SpecApplyOutcome outcome, IReadOnlyList<string> errors, IReadOnlyList<string>? warnings = null) =>
        Result(State, outcome, errors, warnings);

    [LoggerMessage(Level = LogLevel.Information, Message = "Workspace {WorkspaceKey} accepted revision {Revision} ({RevisionHash}) from {Actor}")]
    private partial void LogRevisionAccepted(string workspaceKey, int revision, string revisionHash, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The workload of Workspace {WorkspaceKey} is gone from the cluster; applying it again")]
    private partial void LogWorkloadMissing(string workspaceKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing the status of Workspace {WorkspaceKey} at version {Version} failed; the next reconcile retries")]
    private partial void LogPublishFailed(Exception exception, string workspaceKey, int version);
}
