using Kaito.Grains.EventLog;

namespace Kaito.Grains.Machines;

/// <summary>One GPU node, keyed by its NodeClaim-style name (<c>ws</c> + 9 hex digits).</summary>
public interface IMachineGrain : IGrainWithStringKey
{
    /// <summary>Asks for the node. Idempotent: a machine already requested ignores it.</summary>
    Task Request(MachineSpecRecord spec, CommandSource source);

    Task RequestDeletion(CommandSource source);

    /// <summary>What the node watch sees of this machine's node. A redelivered observation is a no-op.</summary>
    Task ObserveNode(NodeObservation observation, CommandSource source);

    Task Reconcile(CommandSource source);

    Task<MachineView> GetState();
}
