namespace Kaito.Silo.Tests.EndToEnd;

/// <summary>Two silos at once in one Orleans cluster (Azure Table membership), each running the bridge's watchers.</summary>
public sealed class TwoSiloControlPlaneFixture : ControlPlaneFixture
{
    protected override string Provisioner => "nodeclaim";

    protected override string Clustering => "azuretable";

    protected override int SiloCount => 2;

    protected override async Task PrepareClusterAsync() =>
        await Cluster.KubectlAsync("apply", "-f", RepoPaths.Of("deploy", "dev", "karpenter-crds.yaml"));
}
