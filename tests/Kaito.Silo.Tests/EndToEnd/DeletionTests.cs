namespace Kaito.Silo.Tests.EndToEnd;

/// <summary>Deletion never sticks on the finalizer (upstream #932, #1899): not when the node is gone, not when Karpenter is gone.</summary>
public sealed class DeletionTests(NodeClaimControlPlaneFixture fixture) : IClassFixture<NodeClaimControlPlaneFixture>
{
    private readonly Workspaces _kubectl = new(fixture);

    [Fact]
    public async Task A_workspace_whose_node_is_already_gone_is_deleted()
    {
        const string name = "ws-nodegone";
        await _kubectl.ApplyAsync(Workspaces.Example("inference-phi-3.yaml", name));
        await _kubectl.ReadyAsync(name);
        var node = Assert.Single(await _kubectl.NamesAsync("nodes", $"kaito.sh/workspace={name}"));

        await _kubectl.KubectlAsync("delete", "node", node, "--wait=true");
        await _kubectl.KubectlAsync("delete", "workspace", name, "--wait=true", "--timeout=60s");

        Assert.Empty(await _kubectl.NamesAsync("workspaces", $"metadata.name={name}"));
        await Eventually.ReturnsAsync(() => _kubectl.NamesAsync("nodeclaims", $"kaito.sh/workspace={name}"), n => n.Count == 0,
            Workspaces.Deadline, "its NodeClaim deleted");
    }

    [Fact]
    public async Task A_workspace_is_deleted_when_the_NodeClaim_CRD_has_been_removed()
    {
        const string name = "ws-nocrd";
        await _kubectl.ApplyAsync(Workspaces.Example("inference-phi-3.yaml", name));
        await _kubectl.ReadyAsync(name);
        try
        {
            await _kubectl.KubectlAsync("delete", "crd", "nodeclaims.karpenter.sh", "--wait=true", "--timeout=60s");

            await _kubectl.KubectlAsync("delete", "workspace", name, "--wait=true", "--timeout=60s");

            Assert.DoesNotContain(name, await _kubectl.KubectlAsync("get", "workspaces", "-o", "name"));
        }
        finally
        {
            await _kubectl.KubectlAsync("apply", "-f", RepoPaths.Of("deploy", "dev", "karpenter-crds.yaml"));
        }
    }
}
