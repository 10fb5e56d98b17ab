using Kaito.CrdBridge.Provisioning;
using Kaito.Grains.Ports;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kaito.CrdBridge.Tests.Provisioning;

/// <summary>A cluster without Karpenter: creating says what to install; deleting never sticks (upstream #932, #1899).</summary>
[Collection(KubeCollection.Name)]
public sealed class NodeClaimCrdAbsentTests(KubeApiServerFixture kube) : IAsyncLifetime
{
    public Task InitializeAsync() => KarpenterCrds.RemoveAsync(kube.Client);

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData(NodeProvisionerKind.NodeClaim, "nodeclaims.karpenter.sh")]
    [InlineData(NodeProvisionerKind.Machine, "machines.karpenter.sh")]
    public async Task Create_fails_for_good_saying_what_to_install_or_configure(NodeProvisionerKind kind, string crd)
    {
        var ex = await Assert.ThrowsAsync<NodeProvisioningException>(() => Provisioner(kind).CreateNodeAsync("wsabsent01", TestSpecs.Machine()));

        Assert.Equal("NodeClaimCRDMissing", ex.Code);
        Assert.True(ex.Permanent);
        Assert.Contains(crd, ex.Message, StringComparison.Ordinal);
        Assert.Contains("install Karpenter or gpu-provisioner", ex.Message, StringComparison.Ordinal);
        Assert.Contains("NodeProvisioner:Kind=Byo", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_succeeds_and_get_is_null_so_workspace_deletion_completes()
    {
        var provisioner = Provisioner(NodeProvisionerKind.NodeClaim);

        Assert.Equal("nodeclaim/wsabsent02", await provisioner.DeleteNodeAsync("wsabsent02"));
        Assert.Null(await provisioner.GetNodeAsync("wsabsent02"));
    }

    private NodeClaimProvisioner Provisioner(NodeProvisionerKind kind) =>
        new(kube.Client, Options.Create(new NodeProvisionerOptions { Kind = kind }), NullLogger<NodeClaimProvisioner>.Instance);
}
