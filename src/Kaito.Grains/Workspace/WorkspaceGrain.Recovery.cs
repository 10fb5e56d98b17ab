using Kaito.Grains.EventLog;
using Kaito.Grains.Retries;
using Microsoft.Extensions.Logging;

namespace Kaito.Grains.Workspaces;

/// <summary>
/// The ways out of dead ends: the status publish retried until it lands, the slow re-observe of a Ready workspace,
/// deletion despite an unreadable log, and the check that refuses every other command on one.
/// </summary>
public sealed partial class WorkspaceGrain
{
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

    /// <summary>
    /// After a command recorded events that need a reconcile pass: brings the pass forward and leaves the status write
    /// to its end (one write for the command and the pass, and none before the pass's object writes). Publishes now
    /// when no pass will run at once: the workspace settled (no timer), or its driver is backing off after failures.
    /// </summary>
    private async Task PublishAfterPassAsync()
    {
        if (IsSettled(State) || _reconcileFailures.IsBackingOff(Clock.GetUtcNow()))
        {
            await PublishStatusAsync();
        }

        ReconcileSoon();
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
