using Kaito.Grains.EventLog;

namespace Kaito.Grains.Machines;

/// <summary>The node reports nvidia.com/gpu capacity.</summary>
[GenerateSerializer, Immutable, Alias("machine.gpuCapacityObserved")]
public sealed record MachineGpuCapacityObserved(EventContext Context, [property: Id(0)] int GpuCount) : MachineEvent(Context)
{
    public override string Describe() => $"{GpuCount} GPU(s) seen";
}
