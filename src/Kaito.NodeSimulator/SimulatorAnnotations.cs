namespace Kaito.NodeSimulator;

/// <summary>Annotations that make the simulator fail or misbehave on purpose, so tests can drive failure paths.</summary>
public static class SimulatorAnnotations
{
    /// <summary>On a NodeClaim or Machine: <c>"&lt;reason&gt;: &lt;message&gt;"</c>; the launch fails with it.</summary>
    public const string Fail = "sim.kaito.sh/fail";

    /// <summary>On a Pod: <c>"true"</c> (exit 1, reason Error) or <c>"oom"</c> (exit 137, OOMKilled) crash-loops its containers.</summary>
    public const string CrashLoop = "sim.kaito.sh/crashloop";

    /// <summary>On a Job's pod template: <c>"failed"</c> makes its pods fail (exit 1) instead of succeeding.</summary>
    public const string JobOutcome = "sim.kaito.sh/job-outcome";
}
