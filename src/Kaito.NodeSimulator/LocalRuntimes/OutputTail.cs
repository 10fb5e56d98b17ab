namespace Kaito.NodeSimulator.LocalRuntimes;

/// <summary>
/// The last lines a process wrote, as a kubelet keeps them for a termination message with
/// <c>FallbackToLogsOnError</c>: at most 80 lines and 2048 characters. Thread-safe; optionally copies every line to a log file.
/// </summary>
internal sealed class OutputTail(TextWriter? copy) : IDisposable
{
    public const int MaxLines = 80;
    public const int MaxChars = 2048;

    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _lines.Enqueue(line);
            if (_lines.Count > MaxLines)
            {
                _lines.Dequeue();
            }

            copy?.WriteLine(line);
        }
    }

    public override string ToString()
    {
        string text;
        lock (_gate)
        {
            text = string.Join('\n', _lines);
        }

        return text.Length > MaxChars ? text[^MaxChars..] : text;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            copy?.Dispose();
        }
    }
}
