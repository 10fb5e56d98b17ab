using System.Text;

namespace Kaito.Runtime.Lifecycle;

/// <summary>
/// Writes why the server stopped to the container's termination-message file, which Kubernetes shows in
/// <c>kubectl describe pod</c> (lastState.terminated.message) and the control plane can copy into the Workspace's
/// condition. Kubernetes reads at most 4096 bytes, so longer reasons are cut there (on a UTF-8 boundary).
/// </summary>
public static class TerminationMessage
{
    public const int MaxBytes = 4096;

    /// <summary>Writes <paramref name="reason"/>; returns false (and writes nothing) when the path's folder does not exist.</summary>
    public static bool Write(string path, string reason)
    {
        var folder = string.IsNullOrWhiteSpace(path) ? null : Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is null || !Directory.Exists(folder))
        {
            return false;
        }

        File.WriteAllBytes(path, Truncate(reason));
        return true;
    }

    public static byte[] Truncate(string reason)
    {
        var bytes = Encoding.UTF8.GetBytes(reason);
        if (bytes.Length <= MaxBytes)
        {
            return bytes;
        }

        const string Ellipsis = " ...";
        var end = MaxBytes - Ellipsis.Length;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80)
        {
            end--; // never cut inside a multi-byte character
        }

        return [.. bytes.AsSpan(0, end), .. Encoding.UTF8.GetBytes(Ellipsis)];
    }
}
