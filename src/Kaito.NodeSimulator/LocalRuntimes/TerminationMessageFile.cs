using System.Text;

namespace Kaito.NodeSimulator.LocalRuntimes;

/// <summary>
/// One container's termination-message file on the simulated node, as a kubelet keeps it: an empty file made before
/// each start (the runtime writes its start-up failure there, <c>Runtime__TerminationMessagePath</c>), read after the
/// process exits into <c>lastState.terminated.message</c>. With <c>terminationMessagePolicy: FallbackToLogsOnError</c>
/// an empty file on a non-zero exit gives the last lines of the output instead (<see cref="OutputTail"/>).
/// </summary>
/// <param name="HostPath">The file on this machine; never the container's own path (<c>/dev/termination-log</c>).</param>
/// <param name="Policy">The container's <c>terminationMessagePolicy</c>: <see cref="FilePolicy"/> (the default) or <see cref="FallbackToLogsOnErrorPolicy"/>.</param>
internal sealed record TerminationMessageFile(string HostPath, string Policy)
{
    public const string FilePolicy = "File";
    public const string FallbackToLogsOnErrorPolicy = "FallbackToLogsOnError";

    /// <summary>The most a kubelet reads from the file.</summary>
    public const int MaxBytes = 4096;

    /// <summary>An empty file (and its folder) for a new container: a message from an earlier run never carries over.</summary>
    public void Prepare()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(HostPath)!);
        File.WriteAllBytes(HostPath, []);
    }

    /// <summary>The message a kubelet reports for a container that exited with <paramref name="exitCode"/>.</summary>
    public string Read(int exitCode, Func<string> logTail)
    {
        var message = ReadFile();
        return message.Length == 0 && Policy == FallbackToLogsOnErrorPolicy && exitCode != 0 ? logTail() : message;
    }

    private string ReadFile()
    {
        try
        {
            using var stream = File.OpenRead(HostPath);
            var buffer = new byte[MaxBytes];
            var length = stream.ReadAtLeast(buffer, MaxBytes, throwOnEndOfStream: false);
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return "";
        }
    }
}
