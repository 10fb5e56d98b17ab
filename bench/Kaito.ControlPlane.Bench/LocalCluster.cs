using System.Diagnostics;
using Kaito.Testing;

namespace Kaito.ControlPlane.Bench;

/// <summary>A private cluster from scripts/kube/start.sh (etcd, kube-apiserver, controller-manager, scheduler on
/// loopback; the kubelet is the in-process NodeSimulator), stopped by scripts/kube/stop.sh.</summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private readonly string _state;

    private LocalCluster(string state, string kubeconfig)
    {
        _state = state;
        KubeconfigPath = kubeconfig;
    }

    public string KubeconfigPath { get; }

    public string StateDirectory => _state;

    public static async Task<LocalCluster> StartAsync()
    {
        var state = Path.Combine(Path.GetTempPath(), "kaito-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var output = await ScriptAsync("start.sh", state);
            return new LocalCluster(state, output.Trim().Split('\n')[^1]);
        }
        catch
        {
            await ScriptAsync("stop.sh", state); // start.sh stops what it started on failure; this is belt and braces
            throw;
        }
    }

    public async ValueTask DisposeAsync() => await ScriptAsync("stop.sh", _state);

    private static async Task<string> ScriptAsync(string script, string state)
    {
        var start = new ProcessStartInfo("bash", [RepoPaths.Of("scripts", "kube", script)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["KAITO_KUBE_STATE"] = state },
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException($"scripts/kube/{script} failed ({process.ExitCode}): {await stderr}");
    }
}
