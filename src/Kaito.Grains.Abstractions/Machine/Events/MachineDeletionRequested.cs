using Kaito.Grains.EventLog;

namespace Kaito.Grains.Machines;

/// <summary>The owner released the machine.</summary>
[GenerateSerializer, Immutable, Alias("machine.deletionRequested")]
public sealed record MachineDeletionRequested(EventContext Context) : MachineEvent(Context)
{
    public override string Describe() => "deletion requested";
}
