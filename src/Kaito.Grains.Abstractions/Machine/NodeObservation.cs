namespace Kaito.Grains.Machines;

/// <summary>A Kubernetes node as seen by the watch or the provisioner: registered, Ready, nvidia.com/gpu capacity.</summary>
[GenerateSerializer, Immutable, Alias("machine.nodeObservation")]
public sealed record NodeObservation(
    [property: Id(0)] string NodeName,
    [property: Id(1)] bool Ready,
    [property: Id(2)] int GpuCapacity);
