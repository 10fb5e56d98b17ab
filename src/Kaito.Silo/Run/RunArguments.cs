using Kaito.Silo.Cli;

namespace Kaito.Silo.Run;

/// <summary>
/// Walks <c>kaito run</c>'s arguments, which System.CommandLine passes through untouched so that every flag of
/// <see cref="RunSettings.Flags"/> works without an option of its own: <c>--flag value</c> or <c>--flag=value</c>.
/// </summary>
public sealed class RunArguments(IReadOnlyList<string> args)
{
    private int _next;

    public bool TryNext(out string arg)
    {
        arg = _next < args.Count ? args[_next] : "";
        if (_next >= args.Count)
        {
            return false;
        }

        _next++;
        return true;
    }

    /// <summary>The value after a flag, from <c>--flag value</c> or <c>--flag=value</c>.</summary>
    public string Value(string flag, string? inline)
    {
        if (inline is not null)
        {
            return inline;
        }

        if (_next >= args.Count || args[_next].StartsWith('-') && args[_next] != "-")
        {
            throw new UsageException($"flag {flag} needs a value");
        }

        return args[_next++];
    }

    public static (string Flag, string? Inline) Split(string arg)
    {
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && eq > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
    }
}
