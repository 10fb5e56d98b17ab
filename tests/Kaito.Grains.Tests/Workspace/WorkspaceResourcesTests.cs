using k8s;
using Kaito.Api.V1Alpha1;
using Kaito.Grains.Ports;
using Kaito.Grains.Tests.Infrastructure;
using Kaito.Grains.Workspaces;
using static Kaito.Grains.Tests.Infrastructure.TestEvents;

namespace Kaito.Grains.Tests.Workspaces;

public sealed class WorkspaceResourcesTests
{
    [Fact]
    public void Machines_carry_the_selector_labels_upstream_ownership_labels_and_the_gpu_taint()
    {
        var machine = WorkspaceResources.MachineSpec(new WorkspaceKey("team-a", "phi"), Spec());

        Assert.Equal("phi-3", machine.Labels["apps"]);
        Assert.Equal("phi", machine.Labels["kaito.sh/workspace"]);
        Assert.Equal("team-a", machine.Labels["kaito.sh/workspacenamespace"]);
        Assert.Equal("kaito", machine.Labels["karpenter.sh/nodepool"]);
        Assert.Equal(["sku=gpu:NoSchedule"], machine.Taints.ToArray());
        Assert.Equal("team-a/phi", machine.OwnerWorkspace);
        Assert.Equal("50Gi", machine.StorageRequest);
    }

    [Fact]
    public void Machines_carry_the_labelSelector_and_preferred_nodes_apart_for_bring_your_own_nodes()
    {
        var spec = Spec(nodes: 2) with { PreferredNodes = ["node-b"] };

        var machine = WorkspaceResources.MachineSpec(new WorkspaceKey("team-a", "phi"), spec);

        Assert.Equal(["apps"], machine.NodeSelector.Keys);
        Assert.Equal("phi-3", machine.NodeSelector["apps"]);
        Assert.Equal(["node-b"], machine.PreferredNodes.ToArray());
        Assert.Equal(2, machine.WorkspaceNodeCount);
    }

    [Fact]
    public void Workload_is_a_deployment_a_statefulset_for_distributed_presets_or_a_job_for_tuning()
    {
        Assert.Equal([KubernetesKinds.Service, KubernetesKinds.Deployment], WorkspaceResources.WorkloadKinds(Spec()));
        Assert.Equal([KubernetesKinds.Service, KubernetesKinds.HeadlessService, KubernetesKinds.StatefulSet],
            WorkspaceResources.WorkloadKinds(Spec() with { Distributed = true }));
        Assert.Equal([KubernetesKinds.Job], WorkspaceResources.WorkloadKinds(Spec(WorkspaceMode.Tuning)));
    }

    [Fact]
    public void Revision_hash_is_a_stable_sha256_of_the_spec_and_ignores_metadata()
    {
        var first = KubernetesJson.Deserialize<Kaito.Api.V1Alpha1.Workspace>(Manifests.Inference("default", "phi", generation: 1));
        var relabelled = KubernetesJson.Deserialize<Kaito.Api.V1Alpha1.Workspace>(Manifests.Inference("default", "phi", generation: 7));
        var changed = KubernetesJson.Deserialize<Kaito.Api.V1Alpha1.Workspace>(Manifests.Inference("default", "phi", config: "params"));
        var decision = new SpecDecision([], [], "Standard_NC6s_v3", "50Gi", false);

        var a = WorkspaceSpecFactory.Create(first, decision);
        var b = WorkspaceSpecFactory.Create(relabelled, decision);
        var c = WorkspaceSpecFactory.Create(changed, decision);

        Assert.Matches("^[0-9a-f]{64}$", a.RevisionHash);
        Assert.Equal(a.RevisionHash, b.RevisionHash);
        Assert.NotEqual(a.RevisionHash, c.RevisionHash);
        Assert.Equal(a.RevisionHash[..5], a.ShortHash);
        Assert.Equal(1, a.NodeCount);
        Assert.Equal(WorkspaceMode.Inference, a.Mode);
        Assert.Equal("phi-3", a.NodeLabels["apps"]);
    }

    [Fact]
    public void Machine_names_follow_the_gpu_provisioner_pattern_and_are_deterministic()
    {
        var name = MachineNames.For("default/phi", 0);

        Assert.Matches("^ws[0-9a-f]{9}$", name);
        Assert.Equal(name, MachineNames.For("default/phi", 0));
        Assert.NotEqual(name, MachineNames.For("default/phi", 1));
    }

    [Theory]
    [InlineData("default/phi", true)]
    [InlineData("phi", false)]
    [InlineData("a/b/c", true)]
    [InlineData("a/b/c/d", false)]
    [InlineData("a/b/", false)]
    [InlineData("/b", false)]
    public void Workspace_keys_are_namespace_slash_name_with_an_optional_uid(string key, bool valid)
    {
        if (valid)
        {
            Assert.Equal(key, WorkspaceKey.Parse(key).ToString());
        }
        else
        {
            Assert.Throws<ArgumentException>(() => WorkspaceKey.Parse(key));
        }
    }

    [Fact]
    public void A_workspace_recreated_with_the_same_name_gets_other_machine_names()
    {
        var first = WorkspaceKey.Parse("default/phi/0b6f1e2a-1111-4c1e-9d55-9a3c1d1a0001");
        var second = WorkspaceKey.Parse("default/phi/0b6f1e2a-2222-4c1e-9d55-9a3c1d1a0002");

        Assert.Equal(first.ObjectName, second.ObjectName);
        Assert.NotEqual(MachineNames.For(first.ToString(), 0), MachineNames.For(second.ToString(), 0));
    }
}
