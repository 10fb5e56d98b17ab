using System.Diagnostics;

namespace Kaito.Testing;

/// <summary>Runs scripts/kube/start.sh and stop.sh with a state folder of the caller's, as the test fixtures do.</summary>
public static class KubeScripts
{
    /// <summary>Starts etcd, the API server, controller-manager and scheduler; returns the kubeconfig path.</summary>
    public static async Task<string> StartAsync(string state) => (await RunAsync("start.sh", state)).Trim().Split('\n')[^1];

    public static Task StopAsync(string state) => RunAsync("stop.sh", state);

    /// <summary>A state folder under the temp directory that no other fixture uses.</summary>
    public static string NewStateFolder(string prefix) => Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..8]);

    private static async Task<string> RunAsync(string name, string state)
    {
        var start = new ProcessStartInfo("bash", [RepoPaths.Of("scripts", "kube", name)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["KAITO_KUBE_STATE"] = state },
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException($"scripts/kube/{name} failed ({process.ExitCode}): {await stderr}");
    }
}
