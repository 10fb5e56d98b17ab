using System.Diagnostics;

namespace Kaito.Testing;

/// <summary>Runs scripts/kube/start.sh and stop.sh with a state folder of the caller's, as the test fixtures do.</summary>
public static class KubeScripts
{
    /// <summary>Starts etcd, the API server and (unless <paramref name="controllers"/> is false) controller-manager and
    /// scheduler; returns the kubeconfig path.</summary>
    public static async Task<string> StartAsync(string state, bool controllers = true)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return (await RunAsync("start.sh", state, controllers)).Trim().Split('\n')[^1];
            }
            catch (InvalidOperationException error) when (attempt < 3 && error.Message.Contains("address already in use", StringComparison.Ordinal))
            {
                // Another cluster starting at the same time took a port between the script's check and the bind; the
                // script stopped what it started, so start again on fresh ports.
            }
        }
    }

    public static Task StopAsync(string state) => RunAsync("stop.sh", state, true);

    /// <summary>A state folder under the temp directory that no other fixture uses.</summary>
    public static string NewStateFolder(string prefix) => Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..8]);

    private static async Task<string> RunAsync(string name, string state, bool controllers)
    {
        var start = new ProcessStartInfo("bash", [RepoPaths.Of("scripts", "kube", name)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["KAITO_KUBE_STATE"] = state, ["KAITO_KUBE_CONTROLLERS"] = controllers ? "true" : "false" },
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
