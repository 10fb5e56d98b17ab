using System.Diagnostics;

namespace Kaito.NodeSimulator.LocalRuntimes;

/// <summary>One Kaito.Runtime process serving on a loopback port: its output kept (<see cref="OutputTail"/>), its exit awaited.</summary>
internal sealed class RuntimeProcess : IDisposable
{
    private readonly Process _process;
    private readonly OutputTail _output;

    private RuntimeProcess(Process process, OutputTail output)
    {
        _process = process;
        _output = output;
        Exited = WaitAsync();
    }

    /// <summary>Completes with the exit code once the process ended and its output was read (128 + signal when killed).</summary>
    public Task<int> Exited { get; }

    public int Id => _process.Id;

    public string Output => _output.ToString();

    /// <exception cref="System.ComponentModel.Win32Exception">The command could not be started.</exception>
    public static RuntimeProcess Start(IReadOnlyList<string> command, IReadOnlyDictionary<string, string> environment, string? logPath)
    {
        var start = new ProcessStartInfo(command[0], command.Skip(1))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (Path.IsPathRooted(command[0]) && Path.GetDirectoryName(command[0]) is { } folder && Directory.Exists(folder))
        {
            start.WorkingDirectory = folder;
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        TextWriter? log = null;
        if (logPath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
            log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        }

        var output = new OutputTail(log);
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data);
        try
        {
            process.Start();
        }
        catch
        {
            output.Dispose();
            process.Dispose();
            throw;
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new RuntimeProcess(process, output);
    }

    /// <summary>Kills the process (SIGKILL, as the kubelet after the grace period) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        await Exited;
    }

    public void Dispose()
    {
        _process.Dispose();
        _output.Dispose();
    }

    private async Task<int> WaitAsync()
    {
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }
}
