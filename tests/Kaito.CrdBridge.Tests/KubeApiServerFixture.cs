using System.Diagnostics;
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
            _ownedState = Path.Combine(Path.GetTempPath(), "kaito-kube-" + Guid.NewGuid().ToString("N")[..8]);
            path = (await Script("start.sh")).Trim().Split('\n')[^1];
        }

        KubeconfigPath = path;
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_ownedState is not null)
        {
            await Script("stop.sh");
        }
    }

    private async Task<string> Script(string name)
    {
        var start = new ProcessStartInfo("bash", [RepoPaths.Of("scripts", "kube", name)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["KAITO_KUBE_STATE"] = _ownedState },
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/kube/{name} failed ({process.ExitCode}): {await stderr}");
        }

        return await stdout;
    }
}
