namespace Kaito.NodeSimulator.LocalRuntimes;

/// <summary>How a runtime process ended: what a kubelet reports as the container's <c>lastState.terminated</c>.</summary>
internal sealed record RuntimeTermination(int ExitCode, string Reason, string Message, DateTime StartedAt, DateTime FinishedAt);
