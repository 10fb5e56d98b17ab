namespace Kaito.Silo.Tests.EndToEnd;

/// <summary>The control plane with the NodeClaim provisioner, and the Karpenter CRDs installed as gpu-provisioner would have them.</summary>
public sealed class NodeClaimControlPlaneFixture : ControlPlaneFixture
{
    protected override string Provisioner => "nodeclaim";

    protected override async Task PrepareClusterAsync() =>
        await Cluster.KubectlAsync("apply", "-f", RepoPaths.Of("deploy", "dev", "karpenter-crds.yaml"));
}
