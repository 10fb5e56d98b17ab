using k8s.Models;
using Kaito.NodeSimulator.LocalRuntimes;

namespace Kaito.NodeSimulator.Tests.LocalRuntimes;

/// <summary>No cluster: which pods get a runtime, and the model id it reports.</summary>
public sealed class InferencePodsTests
{
    [Theory]
    [InlineData("ReplicaSet", true, true)]
    [InlineData("StatefulSet", true, true)]
    [InlineData("Job", true, false)]
    [InlineData("ReplicaSet", false, false)]
    public void OnlyAWorkspacesDeploymentOrStatefulSetPodsAreServed(string owner, bool workspaceLabel, bool served) =>
        Assert.Equal(served, InferencePods.Serve(Pod(owner, workspaceLabel, "x")));

    [Theory]
    [InlineData("mcr.microsoft.com/aks/kaito/kaito-phi-3-mini-4k-instruct:0.0.1", "phi-3-mini-4k-instruct")]
    [InlineData("myregistry.azurecr.io/own-model@sha256:abc", "own-model")]
    [InlineData("localhost:5000/kaito-llama:1", "llama")]
    public void TheModelIdIsThePresetNameFromTheModelImage(string image, string model) =>
        Assert.Equal(model, InferencePods.ModelName(Pod("ReplicaSet", true, image)));

    private static V1Pod Pod(string owner, bool workspaceLabel, string image) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "ws-0",
            Labels = workspaceLabel ? new Dictionary<string, string> { [InferencePods.WorkspaceLabel] = "ws" } : null,
            OwnerReferences = [new V1OwnerReference { Kind = owner, Name = "ws", ApiVersion = "apps/v1", Uid = "u" }],
        },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "ws", Image = image }] },
    };
}
