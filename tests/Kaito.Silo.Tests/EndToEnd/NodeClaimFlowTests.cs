using System.Text.Json.Nodes;

namespace Kaito.Silo.Tests.EndToEnd;

/// <summary>
/// The product's core path with the NodeClaim provisioner: kubectl apply of the quick starts to WORKSPACEREADY True on
/// a real API server, controller-manager and scheduler, and what happens to a Ready workspace afterwards.
/// </summary>
public sealed class NodeClaimFlowTests(NodeClaimControlPlaneFixture fixture) : IClassFixture<NodeClaimControlPlaneFixture>
{
    private readonly Workspaces _kubectl = new(fixture);

    [Fact]
    public async Task The_three_quick_starts_applied_unchanged_reach_WORKSPACEREADY_True_with_upstreams_columns()
    {
        foreach (var file in Workspaces.QuickStarts)
        {
            await _kubectl.KubectlAsync("apply", "-f", RepoPaths.Of("examples", file));
        }

        foreach (var name in new[] { "workspace-phi-3-mini", "workspace-phi-3-mini-adapter", "workspace-tuning-phi-3" })
        {
            await _kubectl.ReadyAsync(name);
        }

        var table = await _kubectl.GetAsync("workspace");
        Assert.Equal(["NAME", "INSTANCE", "RESOURCEREADY", "INFERENCEREADY", "WORKSPACEREADY", "AGE"], table.Columns);
        foreach (var name in new[] { "workspace-phi-3-mini", "workspace-phi-3-mini-adapter" })
        {
            var row = table.Row(name);
            Assert.Equal(("Standard_NC6s_v3", "True", "True", "True"), (row["INSTANCE"], row["RESOURCEREADY"], row["INFERENCEREADY"], row["WORKSPACEREADY"]));
        }

        var tuning = table.Row("workspace-tuning-phi-3");
        Assert.Equal(("True", "", "True"), (tuning["RESOURCEREADY"], tuning["INFERENCEREADY"], tuning["WORKSPACEREADY"]));

        var service = await _kubectl.GetAsync("svc", "workspace-phi-3-mini");
        Assert.Equal(("ClusterIP", "80/TCP,29500/TCP"), (service.Rows[0]["TYPE"], service.Rows[0]["PORT(S)"]));
        var endpoints = await Eventually.ReturnsAsync(() => _kubectl.ObjectAsync("endpoints", "workspace-phi-3-mini"),
            e => e["subsets"] is JsonArray { Count: > 0 }, Workspaces.Deadline, "the Service has endpoints");
        var address = endpoints["subsets"]![0]!["addresses"]![0]!["ip"]!.GetValue<string>();
        Assert.StartsWith("192.0.2.", address);
        Assert.Equal([29500, 5000], endpoints["subsets"]![0]!["ports"]!.AsArray().Select(p => p!["port"]!.GetValue<int>()).Order().Reverse());

        var status = (await _kubectl.ObjectAsync("workspace", "workspace-phi-3-mini"))["status"]!;
        var claim = Assert.Single(await _kubectl.NamesAsync("nodeclaims", "kaito.sh/workspace=workspace-phi-3-mini"));
        Assert.Equal([claim], status["workerNodes"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.All(status["conditions"]!.AsArray(), c =>
        {
            Assert.False(string.IsNullOrEmpty(c!["lastTransitionTime"]?.GetValue<string>()));
            Assert.Equal(1, c["observedGeneration"]!.GetValue<long>());
            Assert.False(string.IsNullOrEmpty(c["reason"]?.GetValue<string>()));
            Assert.False(string.IsNullOrEmpty(c["message"]?.GetValue<string>()));
        });
    }

    [Fact]
    public async Task A_crash_looping_pod_turns_InferenceReady_False_with_the_reason_and_back_when_it_recovers()
    {
        const string name = "ws-crashloop";
        await _kubectl.ApplyAsync(Workspaces.Example("inference-phi-3.yaml", name));
        await _kubectl.ReadyAsync(name);
        var pod = Assert.Single(await _kubectl.NamesAsync("pods", $"kaito.sh/workspace={name}"));

        await _kubectl.KubectlAsync("annotate", "pod", pod, "sim.kaito.sh/crashloop=oom");

        var inference = await _kubectl.ConditionAsync(name, "InferenceReady", c => c["status"]?.GetValue<string>() == "False", "False");
        Assert.Equal("OOMKilled", inference["reason"]!.GetValue<string>());
        Assert.Contains($"pod {pod}", inference["message"]!.GetValue<string>());
        var row = (await _kubectl.GetAsync("workspace", name)).Rows[0];
        Assert.Equal(("True", "False", "False"), (row["RESOURCEREADY"], row["INFERENCEREADY"], row["WORKSPACEREADY"]));

        await _kubectl.KubectlAsync("annotate", "pod", pod, "sim.kaito.sh/crashloop-");

        await _kubectl.ReadyAsync(name);
        Assert.Equal("InferenceReady", (await _kubectl.ConditionAsync(name, "InferenceReady", c => c["status"]?.GetValue<string>() == "True", "True"))["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deleting_the_Deployment_of_a_ready_workspace_brings_it_back()
    {
        const string name = "ws-redeploy";
        await _kubectl.ApplyAsync(Workspaces.Example("inference-phi-3.yaml", name));
        await _kubectl.ReadyAsync(name);
        var before = (await _kubectl.ObjectAsync("deployment", name))["metadata"]!["uid"]!.GetValue<string>();

        await _kubectl.KubectlAsync("delete", "deployment", name, "--wait=true");

        await Eventually.ReturnsAsync(
            async () => (await _kubectl.NamesAsync("deployments", $"kaito.sh/workspace={name}")).Count == 1
                ? (await _kubectl.ObjectAsync("deployment", name))["metadata"]!["uid"]!.GetValue<string>() : before,
            uid => uid != before, Workspaces.Deadline, "a new Deployment");
        await _kubectl.ReadyAsync(name);
    }

    [Fact]
    public async Task A_NodeClaim_whose_launch_fails_shows_the_provisioners_reason_and_message()
    {
        const string name = "ws-quota";
        await _kubectl.ApplyAsync(Workspaces.Example("inference-phi-3.yaml", name).Replace("Standard_NC6s_v3", ControlPlaneFixture.QuotaInstanceType, StringComparison.Ordinal));

        var resource = await _kubectl.ConditionAsync(name, "ResourceReady", c => c["reason"]?.GetValue<string>() == "QuotaExceeded", "reason QuotaExceeded");

        Assert.Equal("False", resource["status"]!.GetValue<string>());
        Assert.Contains(ControlPlaneFixture.QuotaMessage, resource["message"]!.GetValue<string>());
        await _kubectl.KubectlAsync("delete", "workspace", name, "--wait=true", "--timeout=60s");
    }

    [Fact]
    public async Task Delete_removes_every_owned_object_the_NodeClaim_and_the_finalizer_and_the_same_name_can_be_created_again()
    {
        const string name = "ws-lifecycle";
        await _kubectl.ApplyAsync(Workspaces.Example("inference-phi-3-adapters.yaml", name));
        await _kubectl.ReadyAsync(name);
        var firstUid = (await _kubectl.ObjectAsync("workspace", name))["metadata"]!["uid"]!.GetValue<string>();
        var firstClaim = Assert.Single(await _kubectl.NamesAsync("nodeclaims", $"kaito.sh/workspace={name}"));
        Assert.Contains("workspace.finalizer.kaito.sh", (await _kubectl.ObjectAsync("workspace", name))["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));

        await _kubectl.KubectlAsync("delete", "workspace", name, "--wait=true", "--timeout=60s");

        foreach (var kind in new[] { "deployments", "services", "controllerrevisions", "pods", "jobs", "statefulsets", "nodeclaims", "nodes" })
        {
            await Eventually.ReturnsAsync(() => _kubectl.NamesAsync(kind, $"kaito.sh/workspace={name}", allNamespaces: true), n => n.Count == 0,
                Workspaces.Deadline, $"no {kind} left for {name}");
        }

        await _kubectl.ApplyAsync(Workspaces.Example("inference-phi-3-adapters.yaml", name));
        await _kubectl.ReadyAsync(name);
        Assert.NotEqual(firstUid, (await _kubectl.ObjectAsync("workspace", name))["metadata"]!["uid"]!.GetValue<string>());
        Assert.NotEqual(firstClaim, Assert.Single(await _kubectl.NamesAsync("nodeclaims", $"kaito.sh/workspace={name}")));
    }

    [Fact]
    public async Task A_silo_restart_in_the_middle_of_provisioning_resumes_without_a_second_NodeClaim()
    {
        const string name = "ws-restart";
        await fixture.StopSimulatorAsync(); // no kubelet, no Karpenter: the NodeClaim stays unlaunched
        try
        {
            await _kubectl.ApplyAsync(Workspaces.Example("inference-phi-3.yaml", name));
            var claim = Assert.Single(await Eventually.ReturnsAsync(() => _kubectl.NamesAsync("nodeclaims", $"kaito.sh/workspace={name}"),
                n => n.Count > 0, Workspaces.Deadline, "a NodeClaim"));

            await fixture.StopSiloAsync();
            await fixture.StartSiloAsync();
            await fixture.StartSimulatorAsync();

            await _kubectl.ReadyAsync(name);
            Assert.Equal([claim], await _kubectl.NamesAsync("nodeclaims", $"kaito.sh/workspace={name}"));
        }
        finally
        {
            if (fixture.Simulator is null)
            {
                await fixture.StartSimulatorAsync();
            }
        }
    }
}
