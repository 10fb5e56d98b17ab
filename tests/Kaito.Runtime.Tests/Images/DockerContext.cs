namespace Kaito.Runtime.Tests.Images;

/// <summary>
/// Replays a Dockerfile's COPY instructions from the repository into a folder, leaving out what .dockerignore leaves
/// out (its <c>**/name</c> and <c>name</c> patterns, the only kinds the repository's file uses).
/// </summary>
public sealed class DockerContext(string root)
{
    private readonly string[] _ignored = File.Exists(Path.Combine(root, ".dockerignore"))
        ? File.ReadAllLines(Path.Combine(root, ".dockerignore")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray()
        : [];

    public void Copy(IEnumerable<(string[] Sources, string Destination)> copies, string workingDirectory)
    {
        foreach (var (sources, destination) in copies)
        {
            var target = Path.Combine(workingDirectory, destination);
            foreach (var source in sources)
            {
                var from = Path.Combine(root, source.TrimEnd('/'));
                if (Directory.Exists(from))
                {
                    CopyDirectory(from, target, source.TrimEnd('/'));
                }
                else
                {
                    Directory.CreateDirectory(target);
                    File.Copy(from, Path.Combine(target, Path.GetFileName(from)));
                }
            }
        }
    }

    private void CopyDirectory(string from, string to, string relative)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from).Where(f => !IsIgnored(relative + "/" + Path.GetFileName(f))))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.GetDirectories(from))
        {
            var name = Path.GetFileName(directory);
            if (!IsIgnored(relative + "/" + name))
            {
                CopyDirectory(directory, Path.Combine(to, name), relative + "/" + name);
            }
        }
    }

    private bool IsIgnored(string relative) => _ignored.Any(pattern => pattern.StartsWith("**/", StringComparison.Ordinal)
        ? relative.Split('/').Contains(pattern[3..])
        : relative == pattern || relative.StartsWith(pattern + "/", StringComparison.Ordinal));
}
