using Kaito.Grains.EventLog;

namespace Kaito.Grains.Machines;

/// <summary>A Workspace asked for this GPU node.</summary>
[GenerateSerializer, Immutable, Alias("machine.requested")]
public sealed record MachineRequested(EventContext Context, [property: Id(0)] MachineSpecRecord Spec) : MachineEvent(Context)
{
    public override string Describe() => $"requested {Spec.InstanceType} for workspace {Spec.OwnerWorkspace}";
}
