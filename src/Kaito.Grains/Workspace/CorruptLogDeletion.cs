using Kaito.Grains.EventLog;
using Kaito.Grains.Machines;
using Kaito.Grains.Ports;
using Microsoft.Extensions.Logging;

namespace Kaito.Grains.Workspaces;

/// <summary>
/// Deletes a Workspace whose own event log cannot be read, so that a damaged row never blocks the finalizer. The
/// machines it owns are found without its log: their names come from the workspace key and an ordinal
/// (<see cref="MachineNames"/>), used in order, so probing ordinals until several in a row were never requested finds
/// them all. Each machine is released through its own grain (which records it); one whose log is unreadable too is
/// released through the provisioner directly. The finalizer goes once every node is gone. Nothing can be recorded
/// on the workspace's log; every step is logged.
/// </summary>
public sealed partial class CorruptLogDeletion(IGrainFactory grains, INodeProvisioner provisioner, IKubernetesObjectPort kubernetes, ILogger logger)
{
    /// <summary>Ordinals in a row with no machine behind them before the probe stops (a crash can leave a short gap).</summary>
    public const int UnusedOrdinalsToStop = 4;

    /// <summary>An upper bound on the probe, whatever the machines say.</summary>
    public const int MaxOrdinals = 1000;

    /// <summary>One pass: releases what is left; true once every machine is gone and the finalizer is removed.</summary>
    public async Task<bool> RunPassAsync(WorkspaceKey key, CommandSource source)
    {
        var workspaceKey = key.ToString();
        var remaining = 0;
        var unused = 0;
        for (var ordinal = 0; ordinal < MaxOrdinals && unused < UnusedOrdinalsToStop; ordinal++)
        {
            var machineId = MachineNames.For(workspaceKey, ordinal);
            var grain = grains.GetGrain<IMachineGrain>(machineId);
            MachineView view;
            try
            {
                view = await grain.GetState();
            }
            catch (Exception ex) when (IsCorruption(ex))
            {
                unused = 0;
                remaining += await ReleaseDirectlyAsync(workspaceKey, machineId) ? 0 : 1;
                continue;
            }

            if (view.Phase == MachinePhase.None)
            {
                unused++;
                continue;
            }

            unused = 0;
            if (view.Spec?.OwnerWorkspace is { } owner && owner != workspaceKey)
            {
                continue;
            }

            if (view.Phase != MachinePhase.Deleted)
            {
                await grain.RequestDeletion(source);
                if ((await grain.GetState()).Phase != MachinePhase.Deleted)
                {
                    remaining++;
                    LogReleasing(workspaceKey, machineId, view.Phase);
                }
            }
        }

        if (remaining > 0)
        {
            return false;
        }

        await kubernetes.RemoveFinalizerAsync(key.Namespace, key.Name);
        LogFinished(workspaceKey);
        return true;
    }

    /// <summary>Whether a grain call failed because an event log is unreadable (the activation's exception, as it reaches a caller).</summary>
    public static bool IsCorruption(Exception ex) =>
        ex is EventLogCorruptedException || ex.InnerException is EventLogCorruptedException || ex.GetBaseException() is EventLogCorruptedException;

    /// <summary>Releases a machine whose own log is unreadable: deletes its node through the provisioner.</summary>
    /// <returns>True when the node is gone.</returns>
    public async Task<bool> ReleaseDirectlyAsync(string workspaceKey, string machineId)
    {
        LogReleasingDirectly(workspaceKey, machineId);
        await provisioner.DeleteNodeAsync(machineId);
        try
        {
            return await provisioner.GetNodeAsync(machineId) is null;
        }
        catch (NodeProvisioningException)
        {
            // A claim that failed to launch and is not gone yet: the next pass looks again.
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workspace {WorkspaceKey} (unreadable log): releasing machine {MachineId}, now {Phase}")]
    private partial void LogReleasing(string workspaceKey, string machineId, MachinePhase phase);

    [LoggerMessage(Level = LogLevel.Error, Message = "Workspace {WorkspaceKey} (unreadable log): machine {MachineId} has an unreadable log too; deleting its node through the provisioner")]
    private partial void LogReleasingDirectly(string workspaceKey, string machineId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workspace {WorkspaceKey} (unreadable log): every machine is released and the finalizer removed; the deletion is not recorded on its log")]
    private partial void LogFinished(string workspaceKey);
}
