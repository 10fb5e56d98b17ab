using System.Text.Json;
using System.Text.RegularExpressions;

namespace Kaito.Runtime.Tests.Images;

/// <summary>
/// The few Dockerfile instructions the image test replays (FROM .. AS, ARG, COPY, RUN, ENV, ENTRYPOINT), read from the
/// file itself so the test follows every edit to it. Continuation lines are joined; comments are dropped.
/// </summary>
public sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<Stage> stages) => Stages = stages;

    public IReadOnlyList<Stage> Stages { get; }

    public Stage this[string name] => Stages.SingleOrDefault(s => s.Name == name)
        ?? throw new InvalidOperationException($"The Dockerfile has no stage '{name}'.");

    public static Dockerfile Read(string path)
    {
        var stages = new List<Stage>();
        var joined = string.Join('\n', File.ReadAllLines(path).Where(line => !line.TrimStart().StartsWith('#')))
            .Replace("\\\n", " ", StringComparison.Ordinal);
        foreach (var line in joined.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var (keyword, rest) = (line[..space].ToUpperInvariant(), line[(space + 1)..].Trim());
            if (keyword == "FROM")
            {
                var parts = Words().Split(rest);
                stages.Add(new Stage(parts.Length == 3 && parts[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? parts[2] : parts[0]));
            }
            else if (stages.Count > 0)
            {
                stages[^1].Instructions.Add((keyword, rest));
            }
        }

        return new Dockerfile(stages);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Words();

    public sealed class Stage(string name)
    {
        public string Name { get; } = name;

        public List<(string Keyword, string Arguments)> Instructions { get; } = [];

        /// <summary>ARG defaults: <c>ARG NAME=value</c>.</summary>
        public IReadOnlyDictionary<string, string> ArgDefaults => Instructions
            .Where(i => i.Keyword == "ARG" && i.Arguments.Contains('=', StringComparison.Ordinal))
            .ToDictionary(i => i.Arguments[..i.Arguments.IndexOf('=', StringComparison.Ordinal)], i => i.Arguments[(i.Arguments.IndexOf('=', StringComparison.Ordinal) + 1)..]);

        /// <summary>COPY from the build context (not <c>--from</c>; other flags dropped): the sources and the destination.</summary>
        public IEnumerable<(string[] Sources, string Destination)> ContextCopies => Instructions
            .Where(i => i.Keyword == "COPY")
            .Select(i => Words().Split(i.Arguments))
            .Where(parts => !parts.Any(p => p.StartsWith("--from=", StringComparison.Ordinal)))
            .Select(parts => parts.Where(p => !p.StartsWith("--", StringComparison.Ordinal)).ToArray())
            .Select(parts => (parts[..^1], parts[^1]));

        public IEnumerable<string> Runs => Instructions.Where(i => i.Keyword == "RUN").Select(i => i.Arguments);

        /// <summary>ENV in its <c>NAME=value NAME=value</c> form.</summary>
        public IReadOnlyDictionary<string, string> Environment => Instructions
            .Where(i => i.Keyword == "ENV")
            .SelectMany(i => Words().Split(i.Arguments))
            .ToDictionary(pair => pair[..pair.IndexOf('=', StringComparison.Ordinal)], pair => pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]);

        /// <summary>ENTRYPOINT in its exec (JSON array) form.</summary>
        public string[] Entrypoint => JsonSerializer.Deserialize<string[]>(Instructions.Last(i => i.Keyword == "ENTRYPOINT").Arguments)!;
    }
}
