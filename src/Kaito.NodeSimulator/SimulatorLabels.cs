namespace Kaito.NodeSimulator;

/// <summary>Labels the simulator puts on the Nodes it registers.</summary>
public static class SimulatorLabels
{
    /// <summary><c>kaito.sh/simulated=true</c>: the simulator writes the status of Pods bound to such a Node.</summary>
    public const string Simulated = "kaito.sh/simulated";

    public const string InstanceType = "node.kubernetes.io/instance-type";

    public const string BetaInstanceType = "beta.kubernetes.io/instance-type";
}
