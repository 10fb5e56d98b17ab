namespace Kaito.Silo.Tests.EndToEnd;

/// <summary>An Azure Table cluster with no silo at first: the test starts a <c>kaito run</c> process and silos in this
/// process itself, all on loopback.</summary>
public sealed class SiloFailoverControlPlaneFixture : ControlPlaneFixture
{
    protected override string Provisioner => "nodeclaim";

    protected override string Clustering => "azuretable";

    protected override int SiloCount => 0;

    protected override IReadOnlyList<string> ExtraRunArgs => ["--advertised-address", "127.0.0.1"];

    protected override async Task PrepareClusterAsync() =>
        await Cluster.KubectlAsync("apply", "-f", RepoPaths.Of("deploy", "dev", "karpenter-crds.yaml"));
}
