namespace Kaito.Silo.Tests.EndToEnd;

/// <summary>Two silos at once in one Orleans cluster (Azure Table membership), each running the bridge's watchers.</summary>
public sealed class TwoSiloControlPlaneFixture : ControlPlaneFixture
{
    protected override string Provisioner => "nodeclaim";

    protected override string Clustering => "azuretable";

    protected override int SiloCount => 2;

    /// <summary>Loopback only: by default a silo advertises the host's first non-loopback address.</summary>
    protected override IReadOnlyList<string> ExtraRunArgs => ["--advertised-address", "127.0.0.1"];

    protected override async Task PrepareClusterAsync() =>
        await Cluster.KubectlAsync("apply", "-f", RepoPaths.Of("deploy", "dev", "karpenter-crds.yaml"));
}
