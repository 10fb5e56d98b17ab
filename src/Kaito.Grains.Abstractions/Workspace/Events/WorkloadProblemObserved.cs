using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>
/// A pod of the workload reports a problem (CrashLoopBackOff, OOMKilled, an image pull failure), or the problem
/// cleared (<paramref name="Reason"/> null). InferenceReady carries it, so status never says ready over a crash loop.
/// </summary>
[GenerateSerializer, Immutable, Alias("workspace.workloadProblem")]
public sealed record WorkloadProblemObserved(EventContext Context, [property: Id(0)] string? Reason, [property: Id(1)] string? Message)
    : WorkspaceEvent(Context)
{
    public override string Describe() => Reason is null ? "Workload problem cleared" : $"Workload problem: {Reason}: {Message}";
}
