namespace Kaito.Silo.Tests.EndToEnd;

/// <summary>The same core path with the bring-your-own provisioner: the user's GPU nodes, no Karpenter, no node created.</summary>
public sealed class ByoFlowTests(ByoControlPlaneFixture fixture) : IClassFixture<ByoControlPlaneFixture>
{
    private readonly Workspaces _kubectl = new(fixture);

    [Fact]
    public async Task The_three_quick_starts_run_on_the_users_labelled_nodes_and_no_node_is_created()
    {
        foreach (var file in Workspaces.QuickStarts)
        {
            await _kubectl.KubectlAsync("apply", "-f", RepoPaths.Of("examples", file));
        }

        foreach (var (name, node) in new[] { ("workspace-phi-3-mini", "gpu-phi-3"), ("workspace-phi-3-mini-adapter", "gpu-phi-3-adapter"), ("workspace-tuning-phi-3", "gpu-tuning") })
        {
            var row = (await _kubectl.ReadyAsync(name)).Rows[0];
            Assert.Equal("True", row["RESOURCEREADY"]);
            var status = (await _kubectl.ObjectAsync("workspace", name))["status"]!;
            Assert.Equal([node], status["workerNodes"]!.AsArray().Select(n => n!.GetValue<string>()));
        }

        var pod = Assert.Single(await _kubectl.NamesAsync("pods", "kaito.sh/workspace=workspace-phi-3-mini"));
        Assert.Equal("gpu-phi-3", (await _kubectl.ObjectAsync("pod", pod))["spec"]!["nodeName"]!.GetValue<string>());
        Assert.All((await _kubectl.GetAsync("nodes")).Rows, r => Assert.StartsWith("gpu-", r["NAME"])); // only the nodes the tests registered
        var crds = await _kubectl.KubectlAsync("get", "crd", "-o", "name");
        Assert.DoesNotContain("karpenter", crds);
    }

    [Fact]
    public async Task A_workspace_without_enough_matching_nodes_says_how_many_it_found_and_needs()
    {
        const string name = "ws-no-nodes";
        var yaml = Workspaces.Example("inference-phi-3.yaml", name).Replace("apps: phi-3", "apps: nowhere", StringComparison.Ordinal);
        await _kubectl.ApplyAsync(yaml);

        var resource = await _kubectl.ConditionAsync(name, "ResourceReady", c => c["reason"]?.GetValue<string>() == "NoMatchingNodes", "reason NoMatchingNodes");

        Assert.Equal("False", resource["status"]!.GetValue<string>());
        Assert.Contains("found 0 ready node(s) matching the labelSelector {apps=nowhere}", resource["message"]!.GetValue<string>());
        Assert.Contains("the workspace needs 1", resource["message"]!.GetValue<string>());

        await fixture.Simulator!.RegisterNodeAsync("gpu-late", "Standard_NC6s_v3", new Dictionary<string, string> { ["apps"] = "nowhere" });

        await _kubectl.ReadyAsync(name);
        await _kubectl.KubectlAsync("delete", "workspace", name, "--wait=true", "--timeout=60s");
        var node = await _kubectl.ObjectAsync("node", "gpu-late");
        Assert.Null(node["metadata"]!["labels"]!["kaito.sh/machine"]);
    }

    [Fact]
    public async Task A_lost_node_is_replaced_by_another_matching_node_and_the_workload_moves_there()
    {
        const string name = "ws-lost-node";
        foreach (var node in new[] { "gpu-lost-a", "gpu-lost-b" })
        {
            await fixture.Simulator!.RegisterNodeAsync(node, "Standard_NC6s_v3", new Dictionary<string, string> { ["apps"] = "lost" });
        }

        await _kubectl.ApplyAsync(Workspaces.Example("inference-phi-3.yaml", name).Replace("apps: phi-3", "apps: lost", StringComparison.Ordinal));
        await _kubectl.ReadyAsync(name);
        var first = (await _kubectl.ObjectAsync("workspace", name))["status"]!["workerNodes"]![0]!.GetValue<string>();

        await _kubectl.KubectlAsync("delete", "node", first, "--wait=true");

        var second = await Eventually.ReturnsAsync(
            async () => (await _kubectl.ObjectAsync("workspace", name))["status"]?["workerNodes"]?[0]?.GetValue<string>() ?? "",
            n => n.Length > 0 && n != first, Workspaces.Deadline, "the workspace moved to the other node");
        await _kubectl.ReadyAsync(name);
        var pod = await Eventually.ReturnsAsync(
            async () => (await _kubectl.KubectlAsync("get", "pods", "-l", $"kaito.sh/workspace={name}", "-o", "jsonpath={.items[*].spec.nodeName}")).Trim(),
            n => n == second, Workspaces.Deadline, "the pod runs on the new node");
        Assert.Equal(second, pod);
    }
}
