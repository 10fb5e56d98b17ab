using k8s;

namespace Kaito.CrdBridge.Tests;

/// <summary>
/// A real kube-apiserver 1.20 + etcd on loopback: the one named by KAITO_TEST_KUBECONFIG (what .ci/run starts), or
/// one this fixture starts with scripts/kube/start.sh and stops when the tests end.
/// </summary>
public sealed class KubeApiServerFixture : IAsyncLifetime
{
    private string? _ownedState;

    public IKubernetes Client { get; private set; } = null!;

    public string KubeconfigPath { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var path = Environment.GetEnvironmentVariable("KAITO_TEST_KUBECONFIG");
        if (string.IsNullOrEmpty(path))
        {
            _ownedState = KubeScripts.NewStateFolder("kaito-kube-");
            path = await KubeScripts.StartAsync(_ownedState);
        }

        KubeconfigPath = path;
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));
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
