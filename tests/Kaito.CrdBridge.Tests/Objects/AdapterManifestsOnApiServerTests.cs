using k8s;
using k8s.Models;
using Kaito.Api.V1Alpha1;
using Kaito.Grains.Ports;

namespace Kaito.CrdBridge.Tests.Objects;

/// <summary>
/// Adapters as upstream accepts them (DNS-subdomain names up to 253 characters, a volume as the source) give a
/// Deployment the API server accepts: the names that cannot be container or volume names are mapped.
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class AdapterManifestsOnApiServerTests(KubeApiServerFixture kube) : IAsyncLifetime
{
    private static readonly string LongestName = string.Join('.', Enumerable.Repeat(new string('a', 63), 4))[..253];

    private readonly PortTestBed _bed = new(kube, "adapters");

    public Task InitializeAsync() => _bed.InitializeAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Adapter_names_that_are_not_dns_labels_and_volume_sources_are_applied()
    {
        var workspace = await _bed.CreateWorkspaceAsync("inference-phi-3-adapters.yaml", "adapter-names", ws => ws.Inference!.Adapters =
        [
            Adapter(new DataSource { Name = "team.phi-3.adapter", Image = "myregistry.azurecr.io/adapters/a:0.0.1" }),
            Adapter(new DataSource { Name = LongestName, Image = "myregistry.azurecr.io/adapters/b:0.0.1" }),
            Adapter(new DataSource
            {
                Name = "shared.adapter",
                Volume = new V1Volume { PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "adapters" } },
            }),
        ]);

        await _bed.Port.ApplyAsync(PortTestBed.Intent(workspace, KubernetesKinds.Deployment));

        var pod = (await _bed.Client.AppsV1.ReadNamespacedDeploymentAsync("adapter-names", _bed.Namespace)).Spec.Template.Spec;
        Assert.Equal(2, pod.InitContainers.Count(c => c.Command?.Any(a => a.Contains("/mnt/adapter/", StringComparison.Ordinal)) == true));
        Assert.Contains(pod.Containers[0].VolumeMounts, m => m.MountPath == "/mnt/adapter/shared.adapter");
        Assert.Contains(pod.Volumes, v => v.PersistentVolumeClaim?.ClaimName == "adapters");
        Assert.Contains(pod.Containers[0].Env, e => e.Name == LongestName);
    }

    private static AdapterSpec Adapter(DataSource source) => new() { Source = source, Strength = "0.5" };
}
