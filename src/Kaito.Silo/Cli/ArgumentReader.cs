namespace Kaito.Silo.Cli;

/// <summary>A small, strict reader of one verb's arguments: unknown flags and stray words are usage errors.</summary>
public sealed class ArgumentReader(IReadOnlyList<string> args, string usage)
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
            throw Fail($"flag {flag} needs a value");
        }

        return args[_next++];
    }

    /// <summary>The value after a flag, which must be one of <paramref name="allowed"/>.</summary>
    public string Choice(string flag, string? inline, params string[] allowed)
    {
        var value = Value(flag, inline);
        return allowed.Contains(value)
            ? value
            : throw Fail($"unknown value \"{value}\" for {flag} (use {string.Join(" or ", allowed)})");
    }

    /// <summary>Words after a flag up to the next flag (for <c>-f a.yaml b.yaml</c>).</summary>
    public IEnumerable<string> MoreValues()
    {
        while (_next < args.Count && !(args[_next].StartsWith('-') && args[_next] != "-"))
        {
            yield return args[_next++];
        }
    }

    public UsageException Fail(string message) => new(message, usage);

    public static (string Flag, string? Inline) Split(string arg)
    {
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && eq > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
    }
}
