namespace Kaito.Runtime.Generation;

/// <summary>
/// Finds OpenAI stop sequences in streamed text. Text that could still turn into a stop sequence is held back, so a
/// streamed answer never shows part of a stop sequence and equals the non-streamed one.
/// </summary>
public sealed class StopSequenceMatcher(IReadOnlyList<string> stops)
{
    private readonly int _holdBack = stops.Count == 0 ? 0 : stops.Max(s => s.Length) - 1;
    private string _pending = string.Empty;

    public bool Stopped { get; private set; }

    /// <summary>Adds generated text; returns the text that is safe to emit. Sets <see cref="Stopped"/> on a match.</summary>
    public string Push(string text)
    {
        if (stops.Count == 0)
        {
            return text;
        }

        _pending += text;
        var cut = -1;
        foreach (var stop in stops)
        {
            var at = _pending.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (cut < 0 || at < cut))
            {
                cut = at;
            }
        }

        if (cut >= 0)
        {
            Stopped = true;
            var before = _pending[..cut];
            _pending = string.Empty;
            return before;
        }

        var safe = Math.Max(0, _pending.Length - _holdBack);
        var emit = _pending[..safe];
        _pending = _pending[safe..];
        return emit;
    }

    /// <summary>The held-back text once generation ended without a match.</summary>
    public string Flush()
    {
        var rest = _pending;
        _pending = string.Empty;
        return rest;
    }
}
