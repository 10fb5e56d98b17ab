namespace Kaito.Silo.Tests.EndToEnd;

/// <summary>kubectl's table output read by column position, so that an empty cell stays empty.</summary>
public sealed class KubectlTable
{
    private KubectlTable(IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyDictionary<string, string>> rows)
    {
        Columns = columns;
        Rows = rows;
    }

    public IReadOnlyList<string> Columns { get; }

    public IReadOnlyList<IReadOnlyDictionary<string, string>> Rows { get; }

    public IReadOnlyDictionary<string, string> Row(string name) => Rows.Single(r => r["NAME"] == name);

    public static KubectlTable Parse(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0];
        var starts = new List<int>();
        for (var i = 0; i < header.Length; i++)
        {
            if (header[i] != ' ' && (i == 0 || header[i - 1] == ' '))
            {
                starts.Add(i);
            }
        }

        var columns = starts.Select((s, i) => header[s..(i + 1 < starts.Count ? starts[i + 1] : header.Length)].Trim()).ToList();
        var rows = lines.Skip(1).Select(line => (IReadOnlyDictionary<string, string>)columns.Select((c, i) =>
        {
            var from = Math.Min(starts[i], line.Length);
            var to = i + 1 < starts.Count ? Math.Min(starts[i + 1], line.Length) : line.Length;
            return KeyValuePair.Create(c, line[from..to].Trim());
        }).ToDictionary()).ToList();
        return new KubectlTable(columns, rows);
    }
}
