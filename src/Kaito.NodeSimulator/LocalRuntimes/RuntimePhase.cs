namespace Kaito.NodeSimulator.LocalRuntimes;

/// <summary>Where a pod's runtime process is, as the kubelet would see its container.</summary>
internal enum RuntimePhase
{
    /// <summary>Running, <c>/healthz</c> not answering yet: not Ready.</summary>
    Starting,

    /// <summary>Running and <c>/healthz</c> answered: Ready.</summary>
    Serving,

    /// <summary>Exited; waiting out the restart back-off (CrashLoopBackOff).</summary>
    BackingOff,
}
