namespace Kaito.Silo.Tests.EndToEnd;

/// <summary>
/// The control plane with the bring-your-own provisioner on a cluster without Karpenter: three GPU nodes registered up
/// front, labelled for the three quick starts, and one spare matching nothing.
/// </summary>
public sealed class ByoControlPlaneFixture : ControlPlaneFixture
{
    public static readonly IReadOnlyList<(string Name, string Label, string Value)> Nodes =
    [
        ("gpu-phi-3", "apps", "phi-3"),
        ("gpu-phi-3-adapter", "apps", "phi-3-adapter"),
        ("gpu-tuning", "app", "tuning-phi-3"),
        ("gpu-spare", "apps", "other"),
    ];

    protected override string Provisioner => "byo";

    protected override async Task OnSimulatorStartedAsync(NodeSimulator.NodeSimulator simulator)
    {
        foreach (var (name, label, value) in Nodes)
        {
            await simulator.RegisterNodeAsync(name, "Standard_NC6s_v3", new Dictionary<string, string> { [label] = value });
        }
    }
}
