using k8s;
using k8s.Models;
using Kaito.CrdBridge.Watching;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kaito.CrdBridge.Tests.Watching;

/// <summary>Objects a Workspace owns poke it: by ownerReference (Deployment) or by labels and the UID index (Pod).</summary>
[Collection(KubeCollection.Name)]
public sealed class ClusterObjectWatcherTests(KubeApiServerFixture kube) : IAsyncLifetime
{
    private readonly TestNamespace _ns = new(kube.Client, "objwatch");
    private readonly RecordingWatchSink _sink = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];
    private PokeDispatcher _pokes = null!;

    public async Task InitializeAsync()
    {
        await _ns.CreateAsync();
        var options = TestBridge.Options(_ns.Name);
        var factory = TestBridge.Watchers(kube.Client, options);
        var index = new WorkspaceUidIndex();
        var owners = new WorkspaceOwnerResolver(index);
        _pokes = new PokeDispatcher(_sink, NullLogger<PokeDispatcher>.Instance);
        var workspaces = new WorkspaceWatcher(factory, _sink, index, options, NullLogger<WorkspaceWatcher>.Instance);
        _running.Add(workspaces.RunAsync(_stop.Token));
        await workspaces.Synced.WaitAsync(TimeSpan.FromSeconds(20));
        foreach (var resource in new[] { WatchedResource.Deployments(_ns.Name), WatchedResource.Pods(_ns.Name) })
        {
            _running.Add(new WorkloadWatcher(factory.Create(resource), owners, _pokes, NullLogger<WorkloadWatcher>.Instance).RunAsync(_stop.Token));
        }
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_running).WaitAsync(TimeSpan.FromSeconds(10));
        await _pokes.DisposeAsync();
    }

    [Fact]
    public async Task A_deployment_owned_by_a_workspace_pokes_it_when_created_and_when_deleted()
    {
        var ws = await _ns.CreateWorkspaceAsync("owner");
        var key = $"{_ns.Name}/owner/{TestNamespace.Uid(ws)}";

        await kube.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("owner", TestNamespace.Uid(ws)), _ns.Name);
        await _sink.WaitForAsync(c => c is { Method: "WorkloadChangedAsync", Cause: "watch:deployment-added" } && c.Key == key, "poke on create");

        using var generic = new GenericClient(kube.Client, "apps", "v1", "deployments", disposeClient: false);
        await generic.DeleteNamespacedAsync<V1Status>(_ns.Name, "owner");
        await _sink.WaitForAsync(c => c is { Method: "WorkloadChangedAsync", Cause: "watch:deployment-deleted" } && c.Key == key, "poke on delete");
    }

    [Fact]
    public async Task A_pod_labelled_for_a_workspace_pokes_it_through_the_uid_index_when_a_problem_appears_and_when_it_clears()
    {
        var ws = await _ns.CreateWorkspaceAsync("labelled");
        var key = $"{_ns.Name}/labelled/{TestNamespace.Uid(ws)}";
        await _sink.WaitForAsync(c => c.Method == "ApplySpecAsync" && c.Key == key, "the Workspace is indexed");

        await kube.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "labelled-0", Labels = Labels("labelled") },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "model", Image = "example.invalid/model:1" }] },
        }, _ns.Name);
        await PodStatusAsync("""{"phase":"Running","containerStatuses":[{"name":"model","image":"m","imageID":"","ready":false,"restartCount":2,"state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off"}}}]}""");
        await _sink.WaitForAsync(c => c is { Method: "WorkloadChangedAsync", Cause: "watch:pod-modified" } && c.Key == key, "poke from the crash loop");
        var pokes = _sink.Calls.Count(c => c.Method == "WorkloadChangedAsync" && c.Key == key);

        await PodStatusAsync("""{"phase":"Running","containerStatuses":[{"name":"model","image":"m","imageID":"","ready":true,"restartCount":2,"state":{"running":{}}}]}""");

        await Eventually.ReturnsAsync(() => Task.FromResult(_sink.Calls.Count(c => c.Method == "WorkloadChangedAsync" && c.Key == key)),
            n => n > pokes, TimeSpan.FromSeconds(20), "poke when the problem clears");
        Assert.DoesNotContain(_sink.Calls, c => c is { Method: "WorkloadChangedAsync", Cause: "watch:pod-added" } && c.Key == key);
    }

    private Task PodStatusAsync(string status) => kube.Client.CoreV1.PatchNamespacedPodStatusAsync(
        new V1Patch($$"""{"status":{{status}}}""", V1Patch.PatchType.MergePatch), "labelled-0", _ns.Name);

    private Dictionary<string, string> Labels(string workspace) => new()
    {
        [WatchedResource.WorkspaceLabel] = workspace, [WatchedResource.WorkspaceNamespaceLabel] = _ns.Name,
    };

    private V1Deployment Deployment(string workspace, string uid) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = workspace,
            Labels = Labels(workspace),
            OwnerReferences = [new V1OwnerReference { ApiVersion = "kaito.sh/v1alpha1", Kind = "Workspace", Name = workspace, Uid = uid, BlockOwnerDeletion = true, Controller = true }],
        },
        Spec = new V1DeploymentSpec
        {
            Replicas = 0,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = workspace } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = workspace } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "model", Image = "example.invalid/model:1" }] },
            },
        },
    };
}
