using k8s;
using Kaito.Api.Catalog;
using Kaito.CrdBridge.Provisioning;
using Kaito.Grains.Ports;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kaito.CrdBridge.Tests.Provisioning;

/// <summary>Bring-your-own nodes on a real API server: each test labels its own nodes with a selector of its own.</summary>
[Collection(KubeCollection.Name)]
public sealed class ByoNodeProvisionerTests(KubeApiServerFixture kube) : IAsyncLifetime
{
    private static readonly SkuCatalog Skus = KaitoCatalog.LoadEmbedded().Skus;

    private readonly string _prefix = "byo-" + Guid.NewGuid().ToString("N")[..6];
    private readonly List<string> _nodes = [];
    private readonly ByoNodeProvisioner _provisioner = new(kube.Client, Skus, NullLogger<ByoNodeProvisioner>.Instance);

    private IKubernetes Client => kube.Client;

    /// <summary>Machine names of this run, so that a claim left by an aborted run never answers for this one.</summary>
    private string M(string name) => name + _prefix[4..];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await TestNodes.DeleteAsync(Client, node);
        }
    }

    [Fact]
    public async Task A_preferred_node_is_taken_before_others_and_the_claim_is_stable()
    {
        var selector = _prefix + "-pref";
        await Nodes(selector, ("a", 1, true), ("b", 1, true), ("c", 1, true));
        var spec = TestSpecs.Machine(selector, preferred: [$"{_prefix}-c"]);

        var operation = await _provisioner.CreateNodeAsync(M("wsbyo0001"), spec);
        var again = await _provisioner.CreateNodeAsync(M("wsbyo0001"), spec);

        Assert.Equal($"node/{_prefix}-c", operation);
        Assert.Equal(operation, again);
        var node = await _provisioner.GetNodeAsync(M("wsbyo0001"));
        Assert.Equal(($"{_prefix}-c", true, 1), (node!.NodeName, node.Ready, node.GpuCapacity));
        Assert.Equal(M("wsbyo0001"), (await Client.CoreV1.ReadNodeAsync($"{_prefix}-c")).Metadata.Labels[ByoNodeProvisioner.MachineLabel]);
    }

    [Fact]
    public async Task Without_preferences_nodes_are_taken_by_name()
    {
        var selector = _prefix + "-name";
        await Nodes(selector, ("b", 1, true), ("a", 1, true));

        Assert.Equal($"node/{_prefix}-a", await _provisioner.CreateNodeAsync(M("wsbyo0002"), TestSpecs.Machine(selector)));
    }

    [Fact]
    public async Task Machines_claiming_at_the_same_time_never_get_the_same_node()
    {
        var selector = _prefix + "-race";
        await Nodes(selector, ("a", 1, true), ("b", 1, true), ("c", 1, true));
        var spec = TestSpecs.Machine(selector, nodeCount: 4);
        var machines = new[] { M("wsrace0001"), M("wsrace0002"), M("wsrace0003"), M("wsrace0004") };

        var outcomes = await Task.WhenAll(machines.Select(async m =>
        {
            try
            {
                return await _provisioner.CreateNodeAsync(m, spec);
            }
            catch (NodeProvisioningException ex) when (ex.Code == "NoMatchingNodes")
            {
                return null;
            }
        }));

        var taken = outcomes.OfType<string>().ToList();
        Assert.Equal(3, taken.Count);
        Assert.Equal(3, taken.Distinct().Count());
        var observed = await Task.WhenAll(machines.Select(m => _provisioner.GetNodeAsync(m)));
        Assert.Equal(3, observed.OfType<Kaito.Grains.Machines.NodeObservation>().Select(n => n.NodeName).Distinct().Count());
    }

    [Fact]
    public async Task Too_few_usable_nodes_fail_with_a_message_that_counts_them()
    {
        var selector = _prefix + "-few";
        await Nodes(selector, ("ready", 1, true), ("notready", 1, false), ("nogpu", 0, true));
        var spec = TestSpecs.Machine(selector, nodeCount: 2);
        await _provisioner.CreateNodeAsync(M("wsfew00001"), spec);

        var ex = await Assert.ThrowsAsync<NodeProvisioningException>(() => _provisioner.CreateNodeAsync(M("wsfew00002"), spec));

        Assert.Equal("NoMatchingNodes", ex.Code);
        Assert.False(ex.Permanent);
        Assert.Equal(
            $"found 1 ready node(s) matching the labelSelector {{apps={selector}}} with nvidia.com/gpu capacity, 1 of them taken by other machines; "
            + "the workspace needs 2, this machine needs 1 (3 node(s) match the labels in all). Label more ready GPU nodes or free some.",
            ex.Message);
    }

    [Fact]
    public async Task A_sku_without_gpus_takes_a_node_without_gpu_capacity_and_a_gpu_sku_does_not()
    {
        var selector = _prefix + "-cpu";
        await Nodes(selector, ("cpu", 0, true));

        await Assert.ThrowsAsync<NodeProvisioningException>(() => _provisioner.CreateNodeAsync(M("wscpu00001"), TestSpecs.Machine(selector, "Standard_NC6s_v3")));
        var operation = await _provisioner.CreateNodeAsync(M("wscpu00002"), TestSpecs.Machine(selector, "Standard_D4s_v3"));

        Assert.Equal($"node/{_prefix}-cpu", operation);
        Assert.Equal(0, (await _provisioner.GetNodeAsync(M("wscpu00002")))!.GpuCapacity);
    }

    [Fact]
    public async Task A_claim_costs_one_list_and_the_node_is_then_read_back_by_name_not_listed()
    {
        var selector = _prefix + "-read";
        await Nodes(selector, ("a", 1, true));
        var counting = new Status.RequestCountingHandler();
        using var client = Watching.TestBridge.Client(kube, counting);
        var provisioner = new ByoNodeProvisioner(client, Skus, NullLogger<ByoNodeProvisioner>.Instance);
        await provisioner.CreateNodeAsync(M("wsread0001"), TestSpecs.Machine(selector));
        Assert.Equal(["LIST /api/v1/nodes", $"PATCH /api/v1/nodes/{_prefix}-a"], counting.Requests.Select(Shape));
        var before = counting.Requests.Count;

        // The first look right after the claim is the claim's own answer; later looks read the node by name.
        var first = await provisioner.GetNodeAsync(M("wsread0001"));
        var second = await provisioner.GetNodeAsync(M("wsread0001"));

        Assert.Equal($"{_prefix}-a", first!.NodeName);
        Assert.Equal($"{_prefix}-a", second!.NodeName);
        Assert.Equal([$"GET /api/v1/nodes/{_prefix}-a"], counting.Requests.Skip(before));
    }

    [Fact]
    public async Task A_machine_that_claimed_a_node_before_gets_the_same_node_from_a_new_provisioner()
    {
        var selector = _prefix + "-again";
        await Nodes(selector, ("a", 1, true), ("b", 1, true));
        var spec = TestSpecs.Machine(selector);
        var first = await _provisioner.CreateNodeAsync(M("wsagain001"), spec);

        // A restarted silo remembers nothing: the claim on the node says whose it is.
        var restarted = new ByoNodeProvisioner(Client, Skus, NullLogger<ByoNodeProvisioner>.Instance);

        Assert.Equal(first, await restarted.CreateNodeAsync(M("wsagain001"), spec));
        Assert.Equal(first.Replace("node/", "", StringComparison.Ordinal), (await restarted.GetNodeAsync(M("wsagain001")))!.NodeName);
    }

    private static string Shape(string request) => request == "GET /api/v1/nodes" ? "LIST /api/v1/nodes" : request;

    [Fact]
    public async Task Deleting_releases_the_node_for_another_machine_and_get_is_null()
    {
        var selector = _prefix + "-del";
        await Nodes(selector, ("a", 1, true));
        var spec = TestSpecs.Machine(selector);
        await _provisioner.CreateNodeAsync(M("wsdel00001"), spec);

        await _provisioner.DeleteNodeAsync(M("wsdel00001"));

        Assert.Null(await _provisioner.GetNodeAsync(M("wsdel00001")));
        Assert.Equal($"node/{_prefix}-a", await _provisioner.CreateNodeAsync(M("wsdel00002"), spec));
    }

    private async Task Nodes(string selector, params (string Suffix, int Gpus, bool Ready)[] nodes)
    {
        foreach (var (suffix, gpus, ready) in nodes)
        {
            var name = $"{_prefix}-{suffix}";
            _nodes.Add(name);
            await TestNodes.CreateAsync(Client, name, new Dictionary<string, string> { ["apps"] = selector }, gpus, ready);
        }
    }
}
