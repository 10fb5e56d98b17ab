using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Kaito.Testing;

/// <summary>
/// The Azure Storage the tests use: <c>KAITO_TEST_STORAGE</c> when set (CI starts Azurite), otherwise an Azurite this
/// test process starts with scripts/azurite/start.sh on free ports and stops when it exits.
/// </summary>
public static class AzuriteStorage
{
    public const string EnvironmentVariable = "KAITO_TEST_STORAGE";

    private static readonly Lazy<Task<string>> ConnectionString = new(StartOrReuseAsync);

    public static Task<string> GetConnectionStringAsync() => ConnectionString.Value;

    /// <summary>A table-name prefix of letters and digits, unique per call, so that runs never see each other's rows.</summary>
    public static string NewTablePrefix() => "t" + Guid.NewGuid().ToString("N")[..10];

    private static async Task<string> StartOrReuseAsync()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var root = FindRepositoryRoot();
        var dir = Path.Combine(root, ".run", $"azurite-test-{Environment.ProcessId}");
        var ports = FreePorts(3);
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList =
            {
                Path.Combine(root, "scripts", "azurite", "start.sh"),
                "--blob-port", ports[0].ToString(), "--queue-port", ports[1].ToString(), "--table-port", ports[2].ToString(),
                "--dir", dir, "--owner-pid", Environment.ProcessId.ToString(),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not run scripts/azurite/start.sh");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/azurite/start.sh failed ({process.ExitCode}). Set {EnvironmentVariable} or install Node.js.\n{await stderr}");
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(root, dir);
        return (await stdout).Trim().Split('\n')[^1].Trim();
    }

    private static void Stop(string root, string dir)
    {
        using var stop = Process.Start(new ProcessStartInfo("bash") { ArgumentList = { Path.Combine(root, "scripts", "azurite", "stop.sh"), "--dir", dir } });
        stop?.WaitForExit(10_000);
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // Only a log file is left behind; .run/ is ignored by git.
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "azurite", "start.sh")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"scripts/azurite/start.sh not found above {AppContext.BaseDirectory}; set {EnvironmentVariable}.");
    }

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }
}
