namespace Kaito.NodeSimulator.LocalRuntimes;

/// <summary>The state of a pod's runtime at one moment; the pod's status is derived from it.</summary>
/// <param name="Endpoint"><c>http://127.0.0.1:PORT</c>, the pod's <see cref="SimulatorAnnotations.LocalEndpoint"/>.</param>
/// <param name="StartedAt">When the current (or, backing off, the last) process started.</param>
/// <param name="Backoff">How long the restart waits (BackingOff only).</param>
internal sealed record RuntimeSnapshot(
    RuntimePhase Phase,
    string Endpoint,
    int RestartCount,
    DateTime StartedAt,
    RuntimeTermination? LastTermination,
    TimeSpan Backoff);
