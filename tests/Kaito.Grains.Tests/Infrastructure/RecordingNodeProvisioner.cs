using System.Collections.Concurrent;
using Kaito.Grains.Machines;
using Kaito.Grains.Ports;

namespace Kaito.Grains.Tests.Infrastructure;

/// <summary>A cloud that records every call; nodes appear at once (Ready, one GPU) unless a test says otherwise, so a
/// machine may look at its node as soon as the create returns (like bring-your-own nodes).</summary>
public sealed class RecordingNodeProvisioner : IExistingNodeProvisioner
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public ConcurrentDictionary<string, NodeObservation> Nodes { get; } = new();

    /// <summary>Whether a created node registers at once (Ready, 1 GPU); false leaves it to the test.</summary>
    public Func<MachineSpecRecord, bool> RegistersAtOnce { get; set; } = _ => true;

    /// <summary>An error to throw for a create, or null to accept it.</summary>
    public Func<string, MachineSpecRecord, NodeProvisioningException?> CreateFailure { get; set; } = (_, _) => null;

    /// <summary>Any other error to throw for a create of the named machine (the cluster not answering), or null.</summary>
    public Func<string, Exception?> CreateException { get; set; } = _ => null;

    /// <summary>Whether a delete takes the node away at once; false leaves it (an asynchronous cloud) until the test removes it.</summary>
    public Func<string, bool> DeletesAtOnce { get; set; } = _ => true;

    public int CallsFor(string verb, string machine) => Calls.Count(c => c == $"{verb} {machine}");

    public Task<string> CreateNodeAsync(string machineName, MachineSpecRecord spec, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue($"create {machineName}");
        if (CreateFailure(machineName, spec) is { } failure)
        {
            throw failure;
        }

        if (CreateException(machineName) is { } exception)
        {
            throw exception;
        }

        if (RegistersAtOnce(spec))
        {
            Nodes[machineName] = new NodeObservation($"aks-{machineName}-vmss000000", true, 1);
        }

        return Task.FromResult($"op-create-{machineName}");
    }

    public Task<string> DeleteNodeAsync(string machineName, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue($"delete {machineName}");
        if (DeletesAtOnce(machineName))
        {
            Nodes.TryRemove(machineName, out _);
        }

        return Task.FromResult($"op-delete-{machineName}");
    }

    public Task<NodeObservation?> GetNodeAsync(string machineName, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue($"get {machineName}");
        return Task.FromResult(Nodes.TryGetValue(machineName, out var node) ? node : null);
    }
}
