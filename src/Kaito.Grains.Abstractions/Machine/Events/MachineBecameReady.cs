using Kaito.Grains.EventLog;

namespace Kaito.Grains.Machines;

/// <summary>The node is Ready with GPU capacity.</summary>
[GenerateSerializer, Immutable, Alias("machine.ready")]
public sealed record MachineBecameReady(EventContext Context) : MachineEvent(Context)
{
    public override string Describe() => "ready";
}
