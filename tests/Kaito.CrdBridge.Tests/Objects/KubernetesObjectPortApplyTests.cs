using System.Net;
using k8s;
using k8s.Autorest;
using Kaito.CrdBridge.Manifests;
using Kaito.CrdBridge.Objects;
using Kaito.Grains.Ports;

namespace Kaito.CrdBridge.Tests.Objects;

/// <summary>Server-side apply and delete of every kind a Workspace owns, on a real API server.</summary>
[Collection(KubeCollection.Name)]
public sealed class KubernetesObjectPortApplyTests(KubeApiServerFixture kube) : IAsyncLifetime
{
    private readonly PortTestBed _bed = new(kube, "apply");

    public Task InitializeAsync() => _bed.InitializeAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("inference-phi-3.yaml", false)]
    [InlineData("inference-phi-3-adapters.yaml", false)]
    [InlineData("tuning-phi-3.yaml", false)]
    [InlineData("inference-phi-3.yaml", true)]
    public async Task Applying_each_object_twice_creates_it_once_and_changes_nothing_the_second_time(string example, bool distributed)
    {
        var workspace = await _bed.CreateWorkspaceAsync(example, "twice-" + Path.GetFileNameWithoutExtension(example)[..5] + (distributed ? "-d" : ""));
        var intents = Kinds(workspace, distributed).Select(kind => Distribute(PortTestBed.Intent(workspace, kind), distributed)).ToList();

        foreach (var intent in intents)
        {
            await _bed.Port.ApplyAsync(intent);
        }

        var first = await ResourceVersionsAsync(intents);
        foreach (var intent in intents)
        {
            await _bed.Port.ApplyAsync(intent);
        }

        Assert.Equal(first, await ResourceVersionsAsync(intents));
    }

    [Fact]
    public async Task An_applied_deployment_is_owned_by_the_workspace_and_managed_by_kaito()
    {
        var workspace = await _bed.CreateWorkspaceAsync("inference-phi-3.yaml", "owned");

        await _bed.Port.ApplyAsync(PortTestBed.Intent(workspace, KubernetesKinds.Deployment, revision: 7));

        var deployment = await _bed.Client.AppsV1.ReadNamespacedDeploymentAsync("owned", _bed.Namespace);
        var owner = Assert.Single(deployment.Metadata.OwnerReferences);
        Assert.Equal((workspace.Metadata.Uid, "Workspace", true), (owner.Uid, owner.Kind, owner.Controller == true));
        Assert.Equal("7", deployment.Metadata.Annotations[KaitoLabels.RevisionAnnotation]);
        Assert.Contains(deployment.Metadata.ManagedFields, f => f.Manager == KubernetesObjectPort.FieldManager && f.Operation == "Apply");
        Assert.Equal("1", deployment.Spec.Template.Spec.Containers[0].Resources.Limits["nvidia.com/gpu"].ToString());
    }

    [Fact]
    public async Task Applying_a_tuning_job_creates_the_default_config_map_and_keeps_a_users_edit_of_it()
    {
        var workspace = await _bed.CreateWorkspaceAsync("tuning-phi-3.yaml", "tuning-config");
        await _bed.Port.ApplyAsync(PortTestBed.Intent(workspace, KubernetesKinds.Job));
        var config = await _bed.Client.CoreV1.ReadNamespacedConfigMapAsync("qlora-params-template", _bed.Namespace);
        config.Data["training_config.yaml"] = "training_config: {}\n";
        await _bed.Client.CoreV1.ReplaceNamespacedConfigMapAsync(config, config.Metadata.Name, _bed.Namespace);

        await _bed.Port.ApplyAsync(PortTestBed.Intent(workspace, KubernetesKinds.Job));

        var after = await _bed.Client.CoreV1.ReadNamespacedConfigMapAsync("qlora-params-template", _bed.Namespace);
        Assert.Equal("training_config: {}\n", after.Data["training_config.yaml"]);
    }

    [Fact]
    public async Task Applying_revisions_keeps_the_newest_ten_controller_revisions()
    {
        var workspace = await _bed.CreateWorkspaceAsync("inference-phi-3.yaml", "history");

        for (var revision = 1; revision <= 12; revision++)
        {
            workspace.Resource!.PreferredNodes = [$"node-{revision}"];
            await _bed.Port.ApplyAsync(PortTestBed.Intent(workspace, KubernetesKinds.ControllerRevision, revision));
        }

        var revisions = await _bed.Client.AppsV1.ListNamespacedControllerRevisionAsync(_bed.Namespace, labelSelector: "kaito.sh/workspace=history");
        Assert.Equal(Enumerable.Range(3, 10).Select(r => (long)r), revisions.Items.Select(r => r.Revision ?? 0).Order());
    }

    [Fact]
    public async Task Applying_an_old_spec_again_renumbers_its_controller_revision()
    {
        var workspace = await _bed.CreateWorkspaceAsync("inference-phi-3.yaml", "rollback");
        var first = PortTestBed.Intent(workspace, KubernetesKinds.ControllerRevision, revision: 1);
        await _bed.Port.ApplyAsync(first);
        workspace.Resource!.PreferredNodes = ["node-b"];
        await _bed.Port.ApplyAsync(PortTestBed.Intent(workspace, KubernetesKinds.ControllerRevision, revision: 2));

        await _bed.Port.ApplyAsync(first with { Revision = 3 });

        var revision = await _bed.Client.AppsV1.ReadNamespacedControllerRevisionAsync(first.Target.Name, _bed.Namespace);
        Assert.Equal(3, revision.Revision);
    }

    [Fact]
    public async Task Deleting_removes_services_and_workloads_and_a_missing_object_is_not_an_error()
    {
        var workspace = await _bed.CreateWorkspaceAsync("inference-phi-3.yaml", "deleted");
        foreach (var kind in new[] { KubernetesKinds.Service, KubernetesKinds.Deployment })
        {
            await _bed.Port.ApplyAsync(PortTestBed.Intent(workspace, kind));
        }

        foreach (var kind in new[] { KubernetesKinds.Service, KubernetesKinds.Deployment, KubernetesKinds.Job, KubernetesKinds.StatefulSet })
        {
            await _bed.Port.DeleteAsync(PortTestBed.Ref(workspace, kind));
            await _bed.Port.DeleteAsync(PortTestBed.Ref(workspace, kind));
        }

        var service = await Assert.ThrowsAsync<HttpOperationException>(() => _bed.Client.CoreV1.ReadNamespacedServiceAsync("deleted", _bed.Namespace));
        Assert.Equal(HttpStatusCode.NotFound, service.Response.StatusCode);
        Assert.Null(await _bed.Port.GetWorkloadAsync(PortTestBed.Ref(workspace, KubernetesKinds.Deployment)));
    }

    private static string[] Kinds(Kaito.Api.V1Alpha1.Workspace workspace, bool distributed) => workspace.Tuning is not null
        ? [KubernetesKinds.ControllerRevision, KubernetesKinds.Job]
        : distributed
            ? [KubernetesKinds.ControllerRevision, KubernetesKinds.Service, KubernetesKinds.HeadlessService, KubernetesKinds.StatefulSet]
            : [KubernetesKinds.ControllerRevision, KubernetesKinds.Service, KubernetesKinds.Deployment];

    /// <summary>A distributed variant of the same spec (as the grain decides it for a multi-node preset).</summary>
    private static KubernetesObjectIntent Distribute(KubernetesObjectIntent intent, bool distributed) =>
        distributed ? intent with { Spec = intent.Spec with { Distributed = true, NodeCount = 2 } } : intent;

    private async Task<List<string>> ResourceVersionsAsync(IEnumerable<KubernetesObjectIntent> intents)
    {
        var versions = new List<string>();
        foreach (var intent in intents)
        {
            var (group, version, plural) = intent.Target.Kind switch
            {
                KubernetesKinds.ControllerRevision => ("apps", "v1", "controllerrevisions"),
                KubernetesKinds.Service or KubernetesKinds.HeadlessService => ("", "v1", "services"),
                KubernetesKinds.Deployment => ("apps", "v1", "deployments"),
                KubernetesKinds.StatefulSet => ("apps", "v1", "statefulsets"),
                _ => ("batch", "v1", "jobs"),
            };
            var obj = await _bed.Client.CustomObjects.GetNamespacedCustomObjectAsync(group, version, intent.Target.Namespace, plural, intent.Target.Name);
            versions.Add(System.Text.Json.JsonSerializer.SerializeToNode(obj)!["metadata"]!["resourceVersion"]!.GetValue<string>());
        }

        return versions;
    }
}
