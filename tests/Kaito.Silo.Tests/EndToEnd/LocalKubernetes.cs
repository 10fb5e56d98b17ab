using System.Diagnostics;

namespace Kaito.Silo.Tests.EndToEnd;

/// <summary>
/// A cluster of its own for one fixture: etcd, kube-apiserver, kube-controller-manager and kube-scheduler 1.20 from
/// scripts/kube/start.sh (only the kubelet is simulated), and kubectl pointed at it.
/// </summary>
public sealed class LocalKubernetes : IAsyncDisposable
{
    private readonly string _state;

    private LocalKubernetes(string state, string kubeconfig)
    {
        _state = state;
        KubeconfigPath = kubeconfig;
    }

    public string KubeconfigPath { get; }

    public static async Task<LocalKubernetes> StartAsync()
    {
        var state = KubeScripts.NewStateFolder("kaito-e2e-");
        return new LocalKubernetes(state, await KubeScripts.StartAsync(state));
    }

    /// <summary>Runs kubectl against this cluster; stdin, when given, is piped in (for <c>apply -f -</c>).</summary>
    public Task<string> KubectlWithInputAsync(string stdin, params string[] args) =>
        RunAsync("kubectl", args, new() { ["KUBECONFIG"] = KubeconfigPath }, stdin);

    public Task<string> KubectlAsync(params string[] args) => KubectlWithInputAsync("", args);

    public async ValueTask DisposeAsync() => await KubeScripts.StopAsync(_state);

    private static async Task<string> RunAsync(string file, IEnumerable<string> args, Dictionary<string, string> environment, string stdin = "")
    {
        var start = new ProcessStartInfo(file, args)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}");
    }
}
