namespace Kaito.NodeSimulator;

/// <summary>Annotations that make the simulator fail or misbehave on purpose, so tests can drive failure paths, and the one it writes.</summary>
public static class SimulatorAnnotations
{
    /// <summary>On a NodeClaim or Machine: <c>"&lt;reason&gt;: &lt;message&gt;"</c>; the launch fails with it.</summary>
    public const string Fail = "sim.kaito.sh/fail";

    /// <summary>On a Pod: <c>"true"</c> (exit 1, reason Error) or <c>"oom"</c> (exit 137, OOMKilled) crash-loops its containers.</summary>
    public const string CrashLoop = "sim.kaito.sh/crashloop";

    /// <summary>
    /// Written by the simulator on an inference pod whose runtime process it runs (<see cref="NodeSimulatorOptions.LocalRuntime"/>):
    /// <c>http://127.0.0.1:PORT</c>, where that pod's <c>/chat</c> and <c>/v1/chat/completions</c> answer.
    /// </summary>
    public const string LocalEndpoint = "kaito.sh/local-endpoint";

    /// <summary>On a Job's pod template: <c>"failed"</c> makes its pods fail (exit 1) instead of succeeding.</summary>
    public const string JobOutcome = "sim.kaito.sh/job-outcome";
}
