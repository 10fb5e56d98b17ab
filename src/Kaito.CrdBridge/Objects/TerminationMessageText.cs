using System.Text;

namespace Kaito.CrdBridge.Objects;

/// <summary>
/// A container's termination message made fit for a Workspace condition: one line (a condition's message shows in
/// <c>kubectl describe</c> and in tables) and at most <see cref="MaxLength"/> characters. A message of several lines is
/// most likely a log tail (<c>FallbackToLogsOnError</c>), whose last lines say why, so its end is kept; a one-line
/// message (what the runtime writes) keeps its start.
/// </summary>
internal static class TerminationMessageText
{
    public const int MaxLength = 1024;
    private const string Cut = " ...";
    private const string LineSeparator = " | ";
    private const string Dropped = "..." + LineSeparator;

    public static string OneLine(string? message)
    {
        var lines = (message ?? "").Split('\n')
            .Select(Clean)
            .Where(l => l.Length > 0)
            .ToList();
        if (lines.Count <= 1)
        {
            var line = lines.FirstOrDefault() ?? "";
            return line.Length <= MaxLength ? line : line[..(MaxLength - Cut.Length)].TrimEnd() + Cut;
        }

        // Keep the last lines that fit after the "... | " that says earlier ones were left out; a last line longer than
        // the budget keeps its own end.
        var kept = new List<string>();
        var length = Dropped.Length;
        for (var i = lines.Count - 1; i >= 0; i--)
        {
            var needed = lines[i].Length + (kept.Count == 0 ? 0 : LineSeparator.Length);
            if (length + needed > MaxLength)
            {
                if (kept.Count == 0)
                {
                    kept.Add(lines[i][^(MaxLength - Dropped.Length)..]);
                }

                kept.Reverse();
                return Dropped + string.Join(LineSeparator, kept);
            }

            kept.Add(lines[i]);
            length += needed;
        }

        kept.Reverse();
        return string.Join(LineSeparator, kept);
    }

    /// <summary>Tabs and other control characters become spaces; runs of spaces become one.</summary>
    private static string Clean(string line)
    {
        var text = new StringBuilder(line.Length);
        foreach (var c in line)
        {
            var ch = char.IsControl(c) ? ' ' : c;
            if (ch != ' ' || (text.Length > 0 && text[^1] != ' '))
            {
                text.Append(ch);
            }
        }

        return text.ToString().Trim();
    }
}
