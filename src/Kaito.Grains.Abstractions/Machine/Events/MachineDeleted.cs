using Kaito.Grains.EventLog;

namespace Kaito.Grains.Machines;

/// <summary>The node and its cloud resources are gone.</summary>
[GenerateSerializer, Immutable, Alias("machine.deleted")]
public sealed record MachineDeleted(EventContext Context) : MachineEvent(Context)
{
    public override string Describe() => "deleted";
}
