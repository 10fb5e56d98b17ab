using System.Diagnostics;
using System.Globalization;

namespace Kaito.ControlPlane.Bench;

/// <summary>
/// CPU seconds used so far by each part of the run: this process (the silo and the bench's clients), and the API
/// server, etcd, controller-manager, scheduler and Azurite by their pid files. CPU seconds per workspace say what a
/// part costs even when other work on the machine stretches the wall-clock figures.
/// </summary>
internal sealed class CpuMeter(IReadOnlyDictionary<string, string> pidFiles)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public static CpuMeter For(string clusterState, string? azuriteDir) => new(new Dictionary<string, string>
    {
        ["apiserver"] = Path.Combine(clusterState, "apiserver.pid"),
        ["etcd"] = Path.Combine(clusterState, "etcd.pid"),
        ["controller-manager"] = Path.Combine(clusterState, "controller-manager.pid"),
        ["scheduler"] = Path.Combine(clusterState, "scheduler.pid"),
        ["azurite"] = azuriteDir is null ? "" : Path.Combine(azuriteDir, "azurite.pid"),
    });

    public Dictionary<string, double> Read()
    {
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["this process"] = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds,
        };
        foreach (var (part, pidFile) in pidFiles)
        {
            if (File.Exists(pidFile) && ProcessSeconds(File.ReadAllText(pidFile).Trim()) is { } used)
            {
                seconds[part] = used;
            }
        }

        return seconds;
    }

    public static string PerWorkspace(Dictionary<string, double> before, Dictionary<string, double> after, int n)
    {
        var parts = after.Where(kv => before.ContainsKey(kv.Key))
            .Select(kv => (Part: kv.Key, Ms: (kv.Value - before[kv.Key]) * 1000 / n))
            .OrderByDescending(p => p.Ms)
            .ToList();
        return string.Join(", ", parts.Select(p => $"{p.Part} {p.Ms:F1}")) + $"; all {parts.Sum(p => p.Ms):F1} ms";
    }

    private static double? ProcessSeconds(string pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
