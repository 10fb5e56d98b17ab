using System.Text.Json.Nodes;

namespace Kaito.Silo.Tests.EndToEnd;

/// <summary>
/// The core path with the agent-pool provisioner: one AKS agent pool per machine created through the real Azure SDK
/// pipeline against the loopback ARM imitation, its node registered by the simulator, and every failure surfaced.
/// </summary>
public sealed class AgentPoolFlowTests(AgentPoolControlPlaneFixture fixture) : IClassFixture<AgentPoolControlPlaneFixture>
{
    private readonly Workspaces _kubectl = new(fixture);

    [Fact]
    public async Task The_quick_starts_reach_WORKSPACEREADY_True_on_one_agent_pool_each_shaped_like_gpu_provisioners()
    {
        foreach (var file in Workspaces.QuickStarts)
        {
            await _kubectl.KubectlAsync("apply", "-f", RepoPaths.Of("examples", file));
        }

        foreach (var name in new[] { "workspace-phi-3-mini", "workspace-phi-3-mini-adapter", "workspace-tuning-phi-3" })
        {
            await _kubectl.ReadyAsync(name);
        }

        var status = (await _kubectl.ObjectAsync("workspace", "workspace-phi-3-mini"))["status"]!;
        var node = Assert.Single(status["workerNodes"]!.AsArray().Select(n => n!.GetValue<string>()));
        var pool = PoolOf(node);
        var properties = fixture.Arm.Pool(pool)!["properties"]!;
        Assert.Equal(("Standard_NC6s_v3", 1, "User", "Linux", "Succeeded"), (properties["vmSize"]!.GetValue<string>(), properties["count"]!.GetValue<int>(),
            properties["mode"]!.GetValue<string>(), properties["osType"]!.GetValue<string>(), properties["provisioningState"]!.GetValue<string>()));
        Assert.Equal(["sku=gpu:NoSchedule"], properties["nodeTaints"]!.AsArray().Select(t => t!.GetValue<string>()));
        var labels = properties["nodeLabels"]!.AsObject();
        Assert.Equal(("workspace-phi-3-mini", "default", "gpu", "phi-3"), (labels["kaito.sh/workspace"]!.GetValue<string>(),
            labels["kaito.sh/workspacenamespace"]!.GetValue<string>(), labels["kaito.sh/machine-type"]!.GetValue<string>(), labels["apps"]!.GetValue<string>()));
        Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}-[0-9]{2}-[0-9]{2}Z$", labels["kaito.sh/creation-timestamp"]!.GetValue<string>());
        Assert.Equal(1, fixture.Arm.Count("PUT", $"/agentPools/{pool}?"));
        var pod = Assert.Single(await _kubectl.NamesAsync("pods", "kaito.sh/workspace=workspace-phi-3-mini"));
        Assert.Equal(node, (await _kubectl.ObjectAsync("pod", pod))["spec"]!["nodeName"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_create_operation_that_fails_for_quota_shows_the_clouds_code_and_message()
    {
        const string name = "ws-quota";
        await _kubectl.ApplyAsync(Workspaces.Example("inference-phi-3.yaml", name).Replace("Standard_NC6s_v3", ControlPlaneFixture.QuotaInstanceType, StringComparison.Ordinal));

        var resource = await _kubectl.ConditionAsync(name, "ResourceReady", c => c["reason"]?.GetValue<string>() == "MachineFailed", "reason MachineFailed");

        Assert.Equal("False", resource["status"]!.GetValue<string>());
        Assert.Contains($"{AgentPoolControlPlaneFixture.QuotaCode}: {ControlPlaneFixture.QuotaMessage}", resource["message"]!.GetValue<string>());
        await _kubectl.KubectlAsync("delete", "workspace", name, "--wait=true", "--timeout=60s");
    }

    [Fact]
    public async Task A_family_quota_too_small_says_so_with_the_numbers_and_no_pool_is_created()
    {
        const string name = "ws-quota-short";
        var before = fixture.Arm.Count("PUT", "/agentPools/");
        await _kubectl.ApplyAsync(Workspaces.Example("inference-phi-3.yaml", name)
            .Replace("Standard_NC6s_v3", AgentPoolControlPlaneFixture.QuotaShortInstanceType, StringComparison.Ordinal));

        var resource = await _kubectl.ConditionAsync(name, "ResourceReady", c => c["reason"]?.GetValue<string>() == "MachineFailed", "reason MachineFailed");

        Assert.Equal("False", resource["status"]!.GetValue<string>());
        Assert.Contains("InsufficientVCPUQuota: Standard_NC24ads_A100_v4 needs 24 vCPUs of the standardNCADSA100v4Family vCPUs (standardNCADSA100v4Family) quota in westus2, but 90 of 96 are in use (6 free)",
            resource["message"]!.GetValue<string>());
        Assert.Equal(before, fixture.Arm.Count("PUT", "/agentPools/"));
        await _kubectl.KubectlAsync("delete", "workspace", name, "--wait=true", "--timeout=60s");
    }

    [Fact]
    public async Task A_node_that_never_joins_from_its_pool_fails_the_attempt_at_the_phase_timeout_and_then_the_machine()
    {
        const string name = "ws-no-node";
        await _kubectl.ApplyAsync(Workspaces.Example("inference-phi-3.yaml", name)
            .Replace("Standard_NC6s_v3", AgentPoolControlPlaneFixture.NodelessInstanceType, StringComparison.Ordinal));
        var pool = Assert.Single(await Eventually.ReturnsAsync(() => Task.FromResult(PoolsOf(name)), p => p.Count > 0, Workspaces.Deadline, "a pool"));

        var resource = await _kubectl.ConditionAsync(name, "ResourceReady", c => c["reason"]?.GetValue<string>() == "MachineFailed", "reason MachineFailed");

        Assert.Contains("NodeRegistrationTimeout", resource["message"]!.GetValue<string>());
        Assert.Contains("gave up after 2 attempt(s)", resource["message"]!.GetValue<string>());
        Assert.Equal(2, fixture.Arm.Count("PUT", $"/agentPools/{pool}?")); // the stuck pool was deleted and created again
        await _kubectl.KubectlAsync("delete", "workspace", name, "--wait=true", "--timeout=60s");
    }

    [Fact]
    public async Task Delete_removes_the_agent_pool_its_node_and_the_finalizer()
    {
        const string name = "ws-lifecycle";
        await _kubectl.ApplyAsync(Workspaces.Example("inference-phi-3.yaml", name));
        await _kubectl.ReadyAsync(name);
        var pool = PoolOf((await _kubectl.ObjectAsync("workspace", name))["status"]!["workerNodes"]![0]!.GetValue<string>());

        await _kubectl.KubectlAsync("delete", "workspace", name, "--wait=true", "--timeout=60s");

        Assert.DoesNotContain(pool, fixture.Arm.PoolNames());
        Assert.True(fixture.Arm.Count("DELETE", $"/agentPools/{pool}?") >= 1);
        foreach (var kind in new[] { "deployments", "pods", "nodes" })
        {
            await Eventually.ReturnsAsync(() => _kubectl.NamesAsync(kind, $"kaito.sh/workspace={name}", allNamespaces: true), n => n.Count == 0,
                Workspaces.Deadline, $"no {kind} left for {name}");
        }
    }

    [Fact]
    public async Task A_silo_restart_in_the_middle_of_a_create_resumes_the_same_operation_and_one_pool_exists()
    {
        const string name = "ws-restart";
        fixture.Arm.Hold();
        try
        {
            await _kubectl.ApplyAsync(Workspaces.Example("inference-phi-3.yaml", name));
            var pool = await Eventually.ReturnsAsync(() => Task.FromResult(PoolsOf(name)), p => p.Count > 0, Workspaces.Deadline, "a pool being created");

            await fixture.StopSiloAsync();
            await fixture.StartSiloAsync();
            fixture.Arm.Release();

            await _kubectl.ReadyAsync(name);
            Assert.Equal(pool, PoolsOf(name));
            Assert.Equal(1, fixture.Arm.Count("PUT", $"/agentPools/{pool[0]}?"));
        }
        finally
        {
            fixture.Arm.Release();
        }
    }

    [Fact]
    public async Task A_pool_deleted_out_of_band_is_replaced_and_the_workspace_is_ready_again()
    {
        const string name = "ws-oob";
        await _kubectl.ApplyAsync(Workspaces.Example("inference-phi-3.yaml", name));
        await _kubectl.ReadyAsync(name);
        var first = Assert.Single(PoolsOf(name));

        await fixture.Arm.DeleteOutOfBandAsync(first);

        var second = await Eventually.ReturnsAsync(() => Task.FromResult(PoolsOf(name)), p => p.Count == 1 && p[0] != first, Workspaces.Deadline, "a new pool");
        await _kubectl.ReadyAsync(name);
        Assert.Equal(AgentPoolControlPlaneFixture.NodeName(second[0]),
            (await _kubectl.ObjectAsync("workspace", name))["status"]!["workerNodes"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_pool_with_Kaitos_labels_whose_machine_does_not_exist_is_collected()
    {
        var created = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-dd'T'HH-mm-ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        fixture.Arm.AddPool("wsorphan0001", new Dictionary<string, string>
        {
            ["kaito.sh/workspace"] = "gone", ["kaito.sh/workspacenamespace"] = "default", ["kaito.sh/machine-type"] = "gpu",
            ["kaito.sh/machine-name"] = "wsorphan0001", ["kaito.sh/creation-timestamp"] = created,
        });
        fixture.Arm.AddPool("userpool", new Dictionary<string, string> { ["team"] = "ml" });

        await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Arm.PoolNames()), p => !p.Contains("wsorphan0001"), Workspaces.Deadline, "the orphaned pool deleted");

        Assert.Contains("userpool", fixture.Arm.PoolNames());
    }

    private IReadOnlyList<string> PoolsOf(string workspace) =>
        [.. fixture.Arm.PoolNames().Where(p => fixture.Arm.Pool(p)?["properties"]?["nodeLabels"]?["kaito.sh/workspace"]?.GetValue<string>() == workspace)];

    private static string PoolOf(string node) => node.Split('-')[1];
}
