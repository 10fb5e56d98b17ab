using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Kaito.Failover.Bench;

/// <summary>One <c>kaito run</c> process (the built <c>kaito</c> executable next to this bench) on ports of its own,
/// its output in a log file; killed with SIGKILL or stopped with SIGTERM.</summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;

    private SiloProcess(Process process, int siloPort, int gatewayPort, string log)
    {
        _process = process;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        LogPath = log;
    }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    public static SiloProcess Start(IReadOnlyList<string> runArgs, string logDirectory, string name)
    {
        var siloPort = FreePort();
        var gatewayPort = FreePort();
        var log = Path.Combine(logDirectory, name + ".log");
        // exec: the pid Process knows is kaito's own, so that SIGKILL reaches the silo and nothing else.
        var command = string.Join(' ', new[] { Path.Combine(AppContext.BaseDirectory, "kaito"), "run" }
            .Concat(runArgs)
            .Concat(["--silo-port", siloPort.ToString(CultureInfo.InvariantCulture), "--gateway-port", gatewayPort.ToString(CultureInfo.InvariantCulture)])
            .Concat(["--set", $"Operations:Port={FreePort()}", "--audit-url", $"http://127.0.0.1:{FreePort()}"])
            .Select(Quote));
        var start = new ProcessStartInfo("bash", ["-c", $"exec {command} >{Quote(log)} 2>&1"]) { UseShellExecute = false };
        return new SiloProcess(Process.Start(start)!, siloPort, gatewayPort, log);
    }

    /// <summary>SIGKILL: no shutdown, no goodbye in the membership table; the other silos must find out.</summary>
    public void Kill() => _process.Kill();

    /// <summary>SIGTERM: the silo leaves the cluster in order.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
