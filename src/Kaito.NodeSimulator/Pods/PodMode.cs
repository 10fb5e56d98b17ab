namespace Kaito.NodeSimulator.Pods;

/// <summary>How a pod's containers behave, from its <see cref="SimulatorAnnotations.CrashLoop"/> annotation.</summary>
internal enum PodMode
{
    Healthy,
    CrashLoop,
    OomLoop,
}
