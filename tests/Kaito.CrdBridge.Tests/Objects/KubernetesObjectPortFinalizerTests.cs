using k8s;
using k8s.Models;
using Kaito.Api.V1Alpha1;

namespace Kaito.CrdBridge.Tests.Objects;

/// <summary>The Workspace finalizer: added once, removed once, other finalizers untouched, a missing Workspace no error.</summary>
[Collection(KubeCollection.Name)]
public sealed class KubernetesObjectPortFinalizerTests(KubeApiServerFixture kube) : IAsyncLifetime
{
    private const string Finalizer = "workspace.finalizer.kaito.sh";
    private readonly PortTestBed _bed = new(kube, "finalizer");

    public Task InitializeAsync() => _bed.InitializeAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_finalizer_is_added_once_and_removed_leaving_others_in_place()
    {
        await _bed.CreateWorkspaceAsync("inference-phi-3.yaml", "fin", w => w.Metadata.Finalizers = ["example.com/other"]);

        await _bed.Port.EnsureFinalizerAsync(_bed.Namespace, "fin");
        await _bed.Port.EnsureFinalizerAsync(_bed.Namespace, "fin");
        var added = await _bed.FinalizersAsync("fin");
        await _bed.Port.RemoveFinalizerAsync(_bed.Namespace, "fin");
        await _bed.Port.RemoveFinalizerAsync(_bed.Namespace, "fin");

        Assert.Equal(["example.com/other", Finalizer], added);
        Assert.Equal(["example.com/other"], await _bed.FinalizersAsync("fin"));
    }

    [Fact]
    public async Task Removing_the_finalizer_lets_a_deleted_workspace_go()
    {
        await _bed.CreateWorkspaceAsync("inference-phi-3.yaml", "going");
        await _bed.Port.EnsureFinalizerAsync(_bed.Namespace, "going");
        await _bed.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(Workspace.KubeGroup, Workspace.KubeVersion, _bed.Namespace, Workspace.KubePlural, "going");

        await _bed.Port.EnsureFinalizerAsync(_bed.Namespace, "going");
        Assert.Equal([Finalizer], await _bed.FinalizersAsync("going"));
        await _bed.Port.RemoveFinalizerAsync(_bed.Namespace, "going");

        var list = await _bed.Client.CustomObjects.ListNamespacedCustomObjectAsync(Workspace.KubeGroup, Workspace.KubeVersion, _bed.Namespace, Workspace.KubePlural);
        Assert.DoesNotContain("\"going\"", System.Text.Json.JsonSerializer.Serialize(list), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Finalizer_calls_on_a_workspace_that_does_not_exist_succeed()
    {
        await _bed.Port.RemoveFinalizerAsync(_bed.Namespace, "never-created");
        await _bed.Port.EnsureFinalizerAsync(_bed.Namespace, "never-created");
    }
}
