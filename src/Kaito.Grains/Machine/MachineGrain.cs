using Kaito.Api.Catalog;
using Kaito.Grains.EventLog;
using Kaito.Grains.Hosting;
using Kaito.Grains.Ports;
using Kaito.Grains.Retries;
using Kaito.Grains.Telemetry;
using Kaito.Grains.Workspaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Providers;

namespace Kaito.Grains.Machines;

/// <summary>
/// One GPU node: requested, created in the cloud, registered, GPU capacity seen, ready; with phase deadlines and
/// capped exponential backoff between attempts, all recorded. Reports Ready, Failed and Deleted to its Workspace one-way.
/// </summary>
[LogConsistencyProvider(ProviderName = KaitoGrainsSiloBuilderExtensions.LogConsistencyProviderName)]
public sealed partial class MachineGrain : EventSourcedGrain<MachineState, MachineEvent>, IMachineGrain
{
    private const int MaxStepsPerPass = 4;

    private readonly INodeProvisioner _provisioner;
    private readonly SkuCatalog _skus;
    private readonly MachineProvisioningOptions _provisioning;
    private readonly ILogger<MachineGrain> _logger;
    private readonly KaitoGrainsOptions _options;
    private readonly FailureBackoff _reconcileFailures;
    private readonly ProvisioningPhaseRecorder _phases;
    private IGrainTimer? _reobserve;

    public MachineGrain(
        EventLogTable<MachineState, MachineEvent> log,
        IOptions<KaitoGrainsOptions> options,
        IOptions<MachineProvisioningOptions> provisioning,
        TimeProvider clock,
        INodeProvisioner provisioner,
        KaitoCatalog catalog,
        ILogger<MachineGrain> logger)
        : base(log, options.Value, clock, logger)
    {
        _provisioner = provisioner;
        _skus = catalog.Skus;
        _provisioning = provisioning.Value;
        _logger = logger;
        _options = options.Value;
        _reconcileFailures = new FailureBackoff(_options.ReconcileInterval, _options.FailureBackoffCap, _provisioning.JitterRatio);
        _phases = new ProvisioningPhaseRecorder(_provisioning.Provisioner);
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        StartReobservingIfLive();
    }

    public async Task Request(MachineSpecRecord spec, CommandSource source)
    {
        if (State.Phase != MachinePhase.None)
        {
            return;
        }

        // A provisioner that hands over an existing node does it now, and the request, the hand-over and the node's
        // registration, GPUs and readiness are recorded in one append. A hand-over the append then misses (a crash in
        // between) is found again by the next request, or released by a deletion (RequestDeletion).
        var context = ContextFor(source, 1);
        IReadOnlyList<MachineEvent> handedOver = [];
        if (_provisioner is IExistingNodeProvisioner)
        {
            try
            {
                handedOver = await CreateAsync(spec, 1, context);
            }
            catch (Exception ex)
            {
                // The cluster did not answer: the request is recorded alone and the machine's own pass tries again.
                LogHandOverFailed(ex, AggregateId);
            }
        }

        var recorded = await RecordAsync(state => state.Phase != MachinePhase.None
            ? []
            : [new MachineRequested(context, spec), .. handedOver]);
        if (recorded.Count > 0)
        {
            // No report to the owner: it is the caller, and reads this machine's state next (AskMachines).
            StartReobservingIfLive();
            ReconcileSoon();
        }
    }

    public async Task RequestDeletion(CommandSource source)
    {
        var recorded = await RecordAsync(state => state.Phase switch
        {
            MachinePhase.Deleting or MachinePhase.Deleted => [],
            MachinePhase.None => [new MachineDeleted(ContextFor(source, 1))],
            _ => [new MachineDeletionRequested(ContextFor(source, 1))],
        });
        if (recorded.Count > 0 && recorded[0] is MachineDeleted && _provisioner is IExistingNodeProvisioner)
        {
            // Never recorded as requested, but a request may have handed a node over before a crash (Request): release it.
            await _provisioner.DeleteNodeAsync(AggregateId);
        }

        if (recorded.Count > 0)
        {
            ReconcileSoon();
        }
    }

    public async Task ObserveNode(NodeObservation observation, CommandSource source)
    {
        var before = State.Phase;
        await RecordAsync(state => MachinePlanner.OnNode(state, observation, ContextFor(source, 1), _provisioning, GpuRequiredFor(state)));
        ReportToOwnerIfChanged(before);
    }

    public Task Reconcile(CommandSource source) => ReconcileAsync(source.Cause);

    public Task<MachineView> GetState() => Task.FromResult(new MachineView(
        AggregateId, Version, State.Phase, State.Spec, State.Attempt, State.OperationId, State.PhaseDeadline,
        State.NextAttemptAt, State.LastErrorCode, State.LastErrorMessage, State.NodeName, State.GpuCount, State.UpdatedAt,
        _reconcileFailures.Failures));

    protected override bool IsSettled(MachineState state) => state.IsSettled;

    /// <summary>
    /// A machine with an owner workspace is driven by it: the workspace stays unsettled (with its own reminder) while
    /// any of its machines is unsettled, and each of its passes calls the machine (Request, RequestDeletion, GetState),
    /// which activates it after a crash and so restarts its timer.
    /// </summary>
    protected override bool NeedsOwnReminder(MachineState state) => state.Spec?.OwnerWorkspace is not { Length: > 0 };

    protected override void ApplyEvent(MachineState state, MachineEvent e) => state.Apply(e);

    protected override Task OnRecordedAsync(IReadOnlyList<MachineEvent> events)
    {
        if (State is { Phase: MachinePhase.Ready, RequestedAt: { } requested } && events.OfType<MachineBecameReady>().LastOrDefault() is { } ready)
        {
            _phases.RecordOnce(ProvisioningPhaseRecorder.MachineReady, requested, ready.Context.At);
        }

        return Task.CompletedTask;
    }

    protected override async Task ReconcileAsync(string cause)
    {
        var now = Clock.GetUtcNow();
        await _reconcileFailures.RunAsync(cause, now, () => ReconcilePassAsync(cause),
            (failures, delay) => LogReconcileBackoff(AggregateId, failures, delay), () => LogReconcileRecovered(AggregateId));
    }

    /// <summary>
    /// Keeps stepping while a step records progress, so that a node the provisioner hands over at once (a claimed
    /// bring-your-own node) is seen in the same pass rather than a timer period later. A settled machine stops there.
    /// </summary>
    private async Task ReconcilePassAsync(string cause)
    {
        for (var step = 0; step < MaxStepsPerPass; step++)
        {
            var version = Version;
            await ReconcileOnceAsync(cause, Clock.GetUtcNow());
            if (Version == version || State.IsSettled)
            {
                break;
            }
        }
    }

    private async Task ReconcileOnceAsync(string cause, DateTimeOffset now)
    {
        var before = State.Phase;
        var context = ContextFor(CommandSource.Reconciler(cause), 1);
        switch (MachinePlanner.Next(State, now))
        {
            case MachineStep.StartCreation:
                await StartCreationAsync(context);
                break;
            case MachineStep.PhaseTimedOut:
                var code = MachinePlanner.TimeoutCode(State);
                LogPhaseTimedOut(AggregateId, State.Phase, State.Attempt);
                await RecordAsync([MachinePlanner.Failure(context, State.Attempt, code, $"{State.Phase} ran past {State.PhaseDeadline:O}", false, _provisioning, Random.Shared.NextDouble())]);
                break;
            case MachineStep.AwaitNode:
                await AwaitNodeAsync(context);
                break;
            case MachineStep.CheckNode:
                // A poke from the node watch carried the node itself: it is there, and a read would only repeat that.
                if (!NodeWatchCauses.SawNode(cause) && await _provisioner.GetNodeAsync(AggregateId) is null)
                {
                    LogNodeLost(AggregateId, State.NodeName);
                    await RecordAsync([new MachineNodeLost(context, State.NodeName ?? "")]);
                }

                break;
            case MachineStep.StartDeletion:
                await RecordAsync([new MachineDeletionStarted(context, await _provisioner.DeleteNodeAsync(AggregateId))]);
                break;
            case MachineStep.AwaitDeletion:
                if (await FollowDeletionAsync(context) && await _provisioner.GetNodeAsync(AggregateId) is null)
                {
                    await RecordAsync([new MachineDeleted(context)]);
                }

                break;
        }

        ReportToOwnerIfChanged(before);
    }

    /// <summary>A machine that was never requested (or is gone) keeps no timer, so it does not keep its activation.</summary>
    private void StartReobservingIfLive()
    {
        if (_reobserve is null && State.Phase is not (MachinePhase.None or MachinePhase.Failed or MachinePhase.Deleted))
        {
            _reobserve = ReobserveTimers.Start(this, _options, static grain => grain.ReobserveAsync());
        }
    }

    /// <summary>The slow cadence: a settled Ready machine checks that its node is still there.</summary>
    private async Task ReobserveAsync()
    {
        if (State.Phase is MachinePhase.Failed or MachinePhase.Deleted)
        {
            _reobserve?.Dispose();
            _reobserve = null;
            return;
        }

        if (State.Phase is MachinePhase.Ready)
        {
            await ReconcileSafelyAsync(ReobserveTimers.Cause);
        }
    }

    private bool GpuRequired => GpuRequiredFor(State);

    private bool GpuRequiredFor(MachineState state) => state.Spec is not { } spec || _skus.HasGpus(spec.InstanceType);

    private async Task AwaitNodeAsync(EventContext context)
    {
        if (!await FollowCreationAsync(context))
        {
            return;
        }

        NodeObservation? node;
        try
        {
            node = await _provisioner.GetNodeAsync(AggregateId);
        }
        catch (NodeProvisioningException ex)
        {
            // The provisioner gave up on this node (e.g. a NodeClaim whose launch failed): this attempt failed.
            await RecordAsync([FailedAttempt(context, State.Attempt, ex)]);
            return;
        }

        if (node is not null)
        {
            await RecordAsync(MachinePlanner.OnNode(State, node, context, _provisioning, GpuRequired));
        }
    }

    private async Task StartCreationAsync(EventContext context)
    {
        var attempt = State.Attempt + 1;
        List<MachineEvent> outcome;
        try
        {
            if (State.Attempt > 0 && !await PreviousNodeGoneAsync())
            {
                // A retry: the stuck or failed node of the last attempt must be gone before a new one is asked for,
                // or an asynchronous provisioner would hand back the one being deleted. The next tick looks again.
                LogAwaitingPreviousNode(AggregateId, attempt);
                return;
            }

            outcome = [.. await CreateAsync(State.Spec!, attempt, context)];
        }
        catch (NodeProvisioningException ex)
        {
            outcome = [FailedAttempt(context, attempt, ex)];
        }

        await RecordAsync(outcome);
    }

    /// <summary>
    /// Asks the provisioner for the node of <paramref name="attempt"/> and returns what that is worth: the creation
    /// started, and for a node that is already there its registration, GPUs and readiness too; a failed attempt when
    /// the provisioner refuses.
    /// </summary>
    private async Task<IReadOnlyList<MachineEvent>> CreateAsync(MachineSpecRecord spec, int attempt, EventContext context)
    {
        try
        {
            var operationId = await _provisioner.CreateNodeAsync(AggregateId, spec);
            List<MachineEvent> outcome = [new MachineCreationStarted(context, operationId, attempt, context.At + _provisioning.NodeRegistrationTimeout)];
            if (_provisioner is IExistingNodeProvisioner && await _provisioner.GetNodeAsync(AggregateId) is { } node)
            {
                outcome.AddRange(MachinePlanner.OnNode(MachinePhase.Creating, node, context, _provisioning, _skus.HasGpus(spec.InstanceType)));
            }

            return outcome;
        }
        catch (NodeProvisioningException ex)
        {
            return [FailedAttempt(context, attempt, ex)];
        }
    }

    /// <summary>The provisioner refused <paramref name="attempt"/>: logged, and the failure to record (retried after a backoff, or final).</summary>
    private MachineEvent FailedAttempt(EventContext context, int attempt, NodeProvisioningException ex)
    {
        LogCreateFailed(AggregateId, attempt, ex.Code, ex.Message);
        return MachinePlanner.Failure(context, attempt, ex.Code, ex.Message, ex.Permanent, _provisioning, Random.Shared.NextDouble());
    }

    /// <summary>
    /// Polls the create operation of a provisioner with cloud operations while the node has not registered; records
    /// each state change, and a failed (or vanished) operation as a failed attempt. False when the attempt failed.
    /// </summary>
    private async Task<bool> FollowCreationAsync(EventContext context)
    {
        if (_provisioner is not INodeOperationTracker tracker || State.Phase is not MachinePhase.Creating || State.OperationId is not { } operation)
        {
            return true;
        }

        var status = await tracker.GetOperationAsync(AggregateId, operation);
        var events = MachinePlanner.OnCreateOperation(State, status, context, _provisioning, Random.Shared.NextDouble());
        var failed = status.State is NodeOperationState.Failed or NodeOperationState.Canceled;
        if (failed)
        {
            LogCreateFailed(AggregateId, State.Attempt, status.ErrorCode ?? "", status.ErrorMessage ?? "");
        }

        if (events.Count > 0)
        {
            await RecordAsync(events);
        }

        return !failed;
    }

    /// <summary>Polls the delete operation of a provisioner with cloud operations; true once it succeeded (or there is none).</summary>
    private async Task<bool> FollowDeletionAsync(EventContext context)
    {
        if (_provisioner is not INodeOperationTracker tracker || State.DeletionOperationId is not { } operation)
        {
            return true;
        }

        var status = await tracker.GetOperationAsync(AggregateId, operation);
        if (status.State != State.DeletionOperationState)
        {
            // A failed delete clears the operation, so that the next pass starts it again.
            await RecordAsync([new MachineOperationProgressed(context, operation, status.State, status.ErrorCode, status.ErrorMessage)]);
        }

        return status.State is NodeOperationState.Succeeded;
    }

    /// <summary>Deletes the previous attempt's node (idempotent) and says whether it is gone.</summary>
    private async Task<bool> PreviousNodeGoneAsync()
    {
        var deletion = await _provisioner.DeleteNodeAsync(AggregateId);
        if (_provisioner is INodeOperationTracker tracker
            && (await tracker.GetOperationAsync(AggregateId, deletion)).State is not NodeOperationState.Succeeded)
        {
            return false;
        }

        try
        {
            return await _provisioner.GetNodeAsync(AggregateId) is null;
        }
        catch (NodeProvisioningException)
        {
            // Still there, reporting its failed launch: not gone yet.
            return false;
        }
    }

    private void ReportToOwnerIfChanged(MachinePhase before)
    {
        if (State.Phase == before || State.Phase is not (MachinePhase.Ready or MachinePhase.Failed or MachinePhase.Deleted)
            || State.Spec?.OwnerWorkspace is not { Length: > 0 } owner)
        {
            return;
        }

        // One-way: the owner may be calling this machine right now, so never wait on it.
        _ = GrainFactory.GetGrain<IWorkspaceGrain>(owner)
            .ObserveMachine(new MachineReport(AggregateId, State.Phase, State.NodeName, State.LastErrorCode, State.LastErrorMessage));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Machine {MachineId}: create attempt {Attempt} failed with {Code}: {Message}")]
    private partial void LogCreateFailed(string machineId, int attempt, string code, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Machine {MachineId}: the node could not be handed over with the request; the machine's pass tries again")]
    private partial void LogHandOverFailed(Exception exception, string machineId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Machine {MachineId}: node {NodeName} is gone; releasing the machine so that its workspace replaces it")]
    private partial void LogNodeLost(string machineId, string? nodeName);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Machine {MachineId}: attempt {Attempt} waits until the previous attempt's node is gone")]
    private partial void LogAwaitingPreviousNode(string machineId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconcile of machine {MachineId} failed {Failures} time(s) in a row; the timer waits {Delay}")]
    private partial void LogReconcileBackoff(string machineId, int failures, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconcile of machine {MachineId} succeeds again")]
    private partial void LogReconcileRecovered(string machineId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Machine {MachineId} timed out in {Phase} on attempt {Attempt}")]
    private partial void LogPhaseTimedOut(string machineId, MachinePhase phase, int attempt);
}
