namespace Kaito.Testing;

/// <summary>Finds files of the repository from a test's output folder (linked into each test project).</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kaito.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Kaito.slnx not found above " + AppContext.BaseDirectory);
    }
}
