using System.Text;
using Kaito.Runtime.Tests.Images;

namespace Kaito.Runtime.Tests.Support;

/// <summary>The real server as a child process (<c>dotnet Kaito.Runtime.dll</c>, from this test's output folder).</summary>
public static class RuntimeProcess
{
    public static string Assembly { get; } = Path.Combine(AppContext.BaseDirectory, "Kaito.Runtime.dll");

    /// <summary>Runs the server with the given Runtime settings (as env vars) until it exits on its own.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(IReadOnlyDictionary<string, string> settings, TimeSpan? timeout = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["Runtime__Port"] = "0",
            ["Runtime__ListenAddress"] = "127.0.0.1",
            ["Runtime__AdapterCacheDirectory"] = TestModelFiles.NewScratchDirectory(),
            ["DOTNET_NOLOGO"] = "1",
        };
        foreach (var (key, value) in settings)
        {
            environment["Runtime__" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        using var process = ChildProcess.Start("dotnet", [Assembly], AppContext.BaseDirectory, environment);
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            lock (output)
            {
                Assert.Fail($"The server did not exit within the deadline:\n{output}");
            }
        }

        process.WaitForExit(); // flushes the redirected output
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }
}
