using k8s;
using Kaito.Api.Http;

namespace Kaito.CrdBridge.Tests;

/// <summary>
/// A real kube-apiserver 1.20 + etcd on loopback with no controllers and no scheduler, started for these tests with
/// scripts/kube/start.sh and stopped when they end: the tests write workload status themselves, as the controllers and
/// the kubelet would, so nothing may race them (the shared test cluster runs controllers).
/// </summary>
public sealed class KubeApiServerFixture : IAsyncLifetime
{
    private string? _ownedState;

    public IKubernetes Client { get; private set; } = null!;

    public string KubeconfigPath { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _ownedState = KubeScripts.NewStateFolder("kaito-kube-");
        var path = await KubeScripts.StartAsync(_ownedState, controllers: false);

        KubeconfigPath = path;
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path), BufferedResponses.With());
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_ownedState is not null)
        {
            await KubeScripts.StopAsync(_ownedState);
        }
    }
}
