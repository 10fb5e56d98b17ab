using System.Diagnostics;
using System.Text.Json;
using k8s;
using Kaito.CrdBridge.Provisioning;
using Kaito.CrdBridge.Provisioning.Aks;
using Kaito.Grains.Ports;
using Kaito.Testing.Arm;

namespace Kaito.CrdBridge.Tests.Provisioning.Aks;

/// <summary>
/// The agent-pool provisioner driving the real Azure SDK pipeline against the loopback ARM imitation, with nodes on a
/// real API server.
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class AgentPoolProvisionerTests(KubeApiServerFixture kube) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly string _run = Guid.NewGuid().ToString("N")[..6];
    private readonly List<string> _nodes = [];
    private AgentPoolTestbed _bed = null!;

    /// <summary>A machine name of this run: <c>ws</c> + 9 hex digits, as the Workspace grain makes them.</summary>
    private string M(string suffix) => "ws" + _run + suffix;

    public Task InitializeAsync()
    {
        _bed = new AgentPoolTestbed(kube.Client);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await TestNodes.DeleteAsync(kube.Client, node);
        }

        await _bed.DisposeAsync();
    }

    [Fact]
    public async Task Create_puts_a_pool_shaped_like_gpu_provisioners_polls_it_to_Succeeded_and_finds_its_node_by_the_agentpool_label()
    {
        var machine = M("c01");

        var operation = await _bed.Provisioner.CreateNodeAsync(machine, TestSpecs.Machine());

        Assert.StartsWith("create:async:https://127.0.0.1:", operation);
        var put = Assert.Single(_bed.Arm.Requests, r => r.Method == "PUT");
        Assert.EndsWith($"/agentPools/{machine}?api-version=2024-01-01", put.Path);
        var body = _bed.Arm.Pool(machine)!["properties"]!.AsObject();
        body.Remove("provisioningState");
        var expected = AgentPoolManifest.Build(machine, TestSpecs.Machine(), _bed.Options, AgentPoolTestbed.Now)["properties"]!.AsObject();
        foreach (var labels in new[] { body["nodeLabels"]!.AsObject(), expected["nodeLabels"]!.AsObject() })
        {
            labels.Remove(AgentPoolLabels.CreationTimestamp);
        }

        Assert.Equal(expected.ToJsonString(), body.ToJsonString());

        Assert.Equal(NodeOperationState.InProgress, (await _bed.Provisioner.GetOperationAsync(machine, operation)).State);
        Assert.Equal(NodeOperationState.Succeeded, (await _bed.Provisioner.GetOperationAsync(machine, operation)).State);
        Assert.Null(await _bed.Provisioner.GetNodeAsync(machine));

        var node = await Node(machine, ready: true);

        var observed = await _bed.Provisioner.GetNodeAsync(machine);
        Assert.Equal((node, true, 1), (observed!.NodeName, observed.Ready, observed.GpuCapacity));
        Assert.Equal("nvidia", (await kube.Client.CoreV1.ReadNodeAsync(node)).Metadata.Labels["accelerator"]);
        Assert.Equal(1, _bed.Arm.Count("PUT", "/agentPools/"));
    }

    [Fact]
    public void The_pool_body_has_the_vm_size_disk_labels_taint_mode_and_count_of_gpu_provisioners_pools() =>
        AssertGolden("agentpool-put.json", AgentPoolManifest.Build("wsmachine001", TestSpecs.Machine(), _bed.Options, AgentPoolTestbed.Now).ToJsonString(Indented));

    [Fact]
    public async Task Operation_polls_wait_for_the_Retry_After_the_cloud_sent()
    {
        _bed.Arm.RetryAfterSeconds = 30;
        _bed.Clock.AutoAdvanceAmount = TimeSpan.Zero;
        var machine = M("w01");
        var operation = await _bed.Provisioner.CreateNodeAsync(machine, TestSpecs.Machine());

        Assert.Equal(NodeOperationState.InProgress, (await _bed.Provisioner.GetOperationAsync(machine, operation)).State);
        Assert.Equal(0, _bed.Arm.Count("GET", "/operations/"));

        _bed.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(NodeOperationState.InProgress, (await _bed.Provisioner.GetOperationAsync(machine, operation)).State);
        Assert.Equal(1, _bed.Arm.Count("GET", "/operations/"));

        _bed.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(NodeOperationState.Succeeded, (await _bed.Provisioner.GetOperationAsync(machine, operation)).State);
    }

    [Fact]
    public async Task A_family_quota_too_small_for_one_node_fails_with_the_numbers_and_creates_no_pool()
    {
        _bed.Arm.Usages["standardNCSv3Family"] = (44, 48);

        var error = await Assert.ThrowsAsync<NodeProvisioningException>(() => _bed.Provisioner.CreateNodeAsync(M("q01"), TestSpecs.Machine()));

        Assert.Equal(AgentPoolQuota.InsufficientQuotaCode, error.Code);
        Assert.True(error.Permanent);
        Assert.Equal("Standard_NC6s_v3 needs 6 vCPUs of the standardNCSv3Family vCPUs (standardNCSv3Family) quota in westus2, but 44 of 48 are in use (4 free): "
            + "request a quota increase or pick another instance type.", error.Message);
        Assert.Equal(0, _bed.Arm.Count("PUT", "/agentPools/"));
        Assert.Empty(_bed.Arm.PoolNames());
    }

    [Fact]
    public async Task A_size_the_region_does_not_offer_the_subscription_fails_before_any_pool_is_created()
    {
        var error = await Assert.ThrowsAsync<NodeProvisioningException>(() =>
            _bed.Provisioner.CreateNodeAsync(M("s01"), TestSpecs.Machine(instanceType: "Standard_NV36ads_A10_v5")));

        Assert.Equal((AgentPoolQuota.SkuNotAvailableCode, true), (error.Code, error.Permanent));
        Assert.Contains("NotAvailableForSubscription", error.Message);
        Assert.Empty(_bed.Arm.PoolNames());
    }

    [Fact]
    public async Task The_quota_check_can_be_turned_off()
    {
        await using var bed = new AgentPoolTestbed(kube.Client, o => o.CheckQuota = false);
        bed.Arm.Usages["standardNCSv3Family"] = (48, 48);

        await bed.Provisioner.CreateNodeAsync(M("q02"), TestSpecs.Machine());

        Assert.Equal(0, bed.Arm.Count("GET", "/usages"));
        Assert.Equal([M("q02")], bed.Arm.PoolNames());
    }

    [Fact]
    public async Task A_throttled_PUT_is_retried_after_the_Retry_After_the_cloud_asked_for()
    {
        _bed.Arm.AddFault(new ArmFault("PUT", "/agentPools/", 429, "TooManyRequests", "Too many requests", RetryAfterSeconds: 1));
        var clock = Stopwatch.StartNew();

        var operation = await _bed.Provisioner.CreateNodeAsync(M("t01"), TestSpecs.Machine());

        Assert.StartsWith("create:async:", operation);
        Assert.Equal(2, _bed.Arm.Count("PUT", "/agentPools/"));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {clock.Elapsed}, before the Retry-After of 1 s");
        Assert.Equal([M("t01")], _bed.Arm.PoolNames());
    }

    [Fact]
    public async Task A_server_error_is_retried_with_backoff()
    {
        _bed.Arm.AddFault(new ArmFault("GET", "/usages", 503, "ServiceUnavailable", "try later"));

        await _bed.Provisioner.CreateNodeAsync(M("t02"), TestSpecs.Machine());

        Assert.Equal(2, _bed.Arm.Count("GET", "/usages"));
    }

    [Fact]
    public async Task A_quota_error_from_ARM_fails_permanently_with_the_clouds_code_and_message()
    {
        const string message = "Operation could not be completed as it results in exceeding approved standardNCSv3Family Cores quota. Current Limit: 48, Current Usage: 48.";
        _bed.Arm.AddFault(new ArmFault("PUT", "/agentPools/", 400, "QuotaExceeded", message));

        var error = await Assert.ThrowsAsync<NodeProvisioningException>(() => _bed.Provisioner.CreateNodeAsync(M("e01"), TestSpecs.Machine()));

        Assert.Equal(("QuotaExceeded", message, true), (error.Code, error.Message, error.Permanent));
    }

    [Theory]
    [InlineData("AuthorizationFailed", "The client 'kaito' does not have authorization to perform action 'Microsoft.ContainerService/managedClusters/agentPools/write'.", 403)]
    [InlineData("InvalidParameter", "The value 'Standard_Bogus' of parameter 'agentPoolProfile.vmSize' is invalid.", 400)]
    public async Task Errors_no_retry_can_fix_fail_permanently(string code, string message, int status)
    {
        _bed.Arm.AddFault(new ArmFault("PUT", "/agentPools/", status, code, message));

        var error = await Assert.ThrowsAsync<NodeProvisioningException>(() => _bed.Provisioner.CreateNodeAsync(M("e02"), TestSpecs.Machine()));

        Assert.Equal((code, message, true), (error.Code, error.Message, error.Permanent));
    }

    [Fact]
    public async Task An_operation_that_ends_Failed_reports_the_clouds_code_and_message()
    {
        _bed.Arm.FailingVmSizes["Standard_NC12s_v3"] = ("AllocationFailed", "Allocation failed. We do not have sufficient capacity for the requested VM size in this region.");
        var machine = M("f01");
        var operation = await _bed.Provisioner.CreateNodeAsync(machine, TestSpecs.Machine(instanceType: "Standard_NC12s_v3"));

        var status = await Kaito.Testing.Eventually.ReturnsAsync(() => _bed.Provisioner.GetOperationAsync(machine, operation), s => s.IsTerminal,
            TimeSpan.FromSeconds(10), "the operation ends");

        Assert.Equal(NodeOperationState.Failed, status.State);
        Assert.Equal(("AllocationFailed", "Allocation failed. We do not have sufficient capacity for the requested VM size in this region.", true),
            (status.ErrorCode, status.ErrorMessage, status.Permanent));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task A_pool_deleted_out_of_band_reads_as_a_failed_create_that_is_retried_or_final_by_configuration(bool recreate, bool permanent)
    {
        await using var bed = new AgentPoolTestbed(kube.Client, o => o.RecreateDeletedPools = recreate);
        var machine = M("d0" + (recreate ? "1" : "2"));
        var operation = await bed.Provisioner.CreateNodeAsync(machine, TestSpecs.Machine());
        await Kaito.Testing.Eventually.ReturnsAsync(() => bed.Provisioner.GetOperationAsync(machine, operation), s => s.State == NodeOperationState.Succeeded,
            TimeSpan.FromSeconds(10), "the pool is created");

        await bed.Arm.DeleteOutOfBandAsync(machine);

        var status = await bed.Provisioner.GetOperationAsync(machine, operation);
        Assert.Equal((NodeOperationState.Failed, AgentPoolProvisioner.PoolNotFoundCode, permanent), (status.State, status.ErrorCode, status.Permanent));
        Assert.Contains($"Agent pool {machine} was deleted outside Kaito", status.ErrorMessage);

        var again = await bed.Provisioner.CreateNodeAsync(machine, TestSpecs.Machine());
        Assert.StartsWith("create:async:", again);
        Assert.Equal([machine], bed.Arm.PoolNames());
    }

    [Fact]
    public async Task A_restarted_provisioner_asked_to_create_a_pool_that_is_being_created_follows_it_instead_of_a_second_PUT()
    {
        var machine = M("r01");
        _bed.Arm.Hold();
        await _bed.Provisioner.CreateNodeAsync(machine, TestSpecs.Machine());
        var restarted = _bed.NewProvisioner(kube.Client);

        var operation = await restarted.CreateNodeAsync(machine, TestSpecs.Machine());

        Assert.Equal($"create:pool:{machine}", operation);
        Assert.Equal(NodeOperationState.InProgress, (await restarted.GetOperationAsync(machine, operation)).State);
        _bed.Arm.Release();
        await Kaito.Testing.Eventually.ReturnsAsync(() => restarted.GetOperationAsync(machine, operation), s => s.State == NodeOperationState.Succeeded,
            TimeSpan.FromSeconds(10), "the first create's pool succeeds");
        Assert.Equal(1, _bed.Arm.Count("PUT", "/agentPools/"));
        Assert.Equal([machine], _bed.Arm.PoolNames());
    }

    [Fact]
    public async Task Delete_polls_the_operation_until_the_pool_is_gone()
    {
        var machine = M("x01");
        await _bed.Provisioner.CreateNodeAsync(machine, TestSpecs.Machine());

        var operation = await _bed.Provisioner.DeleteNodeAsync(machine);

        Assert.StartsWith("delete:async:", operation);
        Assert.Equal("Deleting", _bed.Arm.Pool(machine)!["properties"]!["provisioningState"]!.GetValue<string>());
        await Kaito.Testing.Eventually.ReturnsAsync(() => _bed.Provisioner.GetOperationAsync(machine, operation), s => s.State == NodeOperationState.Succeeded,
            TimeSpan.FromSeconds(10), "the delete succeeds");
        Assert.Empty(_bed.Arm.PoolNames());
    }

    [Fact]
    public async Task Deleting_a_pool_that_is_already_gone_counts_as_deleted()
    {
        var machine = M("x02");

        var operation = await _bed.Provisioner.DeleteNodeAsync(machine);

        Assert.Equal($"delete:pool:{machine}", operation);
        Assert.Equal(NodeOperationState.Succeeded, (await _bed.Provisioner.GetOperationAsync(machine, operation)).State);
        Assert.Equal(0, _bed.Arm.Count("DELETE", "/agentPools/"));
    }

    [Fact]
    public async Task Orphan_collection_deletes_only_old_Kaito_pools_whose_machine_is_not_live()
    {
        var old = AgentPoolTestbed.Now.AddHours(-1).ToString(AgentPoolLabels.CreationTimestampFormat, System.Globalization.CultureInfo.InvariantCulture);
        var young = AgentPoolTestbed.Now.ToString(AgentPoolLabels.CreationTimestampFormat, System.Globalization.CultureInfo.InvariantCulture);
        _bed.Arm.AddPool("wsorphan0001", Labels("wsorphan0001", old));
        _bed.Arm.AddPool("wslive000001", Labels("wslive000001", old));
        _bed.Arm.AddPool("wsyoung00001", Labels("wsyoung00001", young));
        _bed.Arm.AddPool("userpool", new Dictionary<string, string> { ["team"] = "ml" });

        var collected = await _bed.Collector().CollectAsync((machine, _) => Task.FromResult(machine == "wslive000001"), CancellationToken.None);

        Assert.Equal(["wsorphan0001"], collected);
        Assert.Equal("Deleting", _bed.Arm.Pool("wsorphan0001")!["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.Equal(["userpool", "wslive000001", "wsorphan0001", "wsyoung00001"], _bed.Arm.PoolNames());
        // A pool already being deleted is left to finish; the live one goes once its machine is gone.
        Assert.Equal(["wslive000001"], await _bed.Collector().CollectAsync((_, _) => Task.FromResult(false), CancellationToken.None));

        static Dictionary<string, string> Labels(string machine, string created) => new()
        {
            [AgentPoolLabels.Workspace] = "phi", [AgentPoolLabels.WorkspaceNamespace] = "team-a", [AgentPoolLabels.MachineType] = "gpu",
            [AgentPoolLabels.MachineName] = machine, [AgentPoolLabels.CreationTimestamp] = created,
        };
    }

    private async Task<string> Node(string pool, bool ready)
    {
        var name = $"aks-{pool}-12345678-vmss000000";
        _nodes.Add(name);
        await TestNodes.CreateAsync(kube.Client, name, new Dictionary<string, string>
        {
            [AgentPoolLabels.AgentPool] = pool, [AgentPoolLabels.AksAgentPool] = pool, [KarpenterManifests.InstanceTypeLabel] = "Standard_NC6s_v3",
        }, gpus: 1, ready);
        return name;
    }

    private static void AssertGolden(string file, string actual)
    {
        var path = RepoPaths.Of("tests", "Kaito.CrdBridge.Tests", "Provisioning", "Aks", "golden", file);
        var text = actual.ReplaceLineEndings("\n") + "\n";
        if (Environment.GetEnvironmentVariable("KAITO_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }

        Assert.Equal(File.ReadAllText(path), text);
    }
}
