using System.Globalization;

namespace Kaito.Runtime.Serving;

/// <summary>
/// Memory sizes as people write them: a number of bytes, or a number with a unit. Binary units (KiB, MiB, GiB, TiB and
/// Kubernetes' Ki, Mi, Gi, Ti) are powers of 1024; decimal ones (KB, MB, GB, TB and k, M, G, T) powers of 1000.
/// </summary>
public static class ByteSize
{
    private static readonly (string Unit, long Factor)[] Units =
    [
        ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("TiB", 1L << 40),
        ("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30), ("Ti", 1L << 40),
        ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("TB", 1_000_000_000_000),
        ("k", 1_000), ("K", 1_000), ("M", 1_000_000), ("G", 1_000_000_000), ("T", 1_000_000_000_000),
        ("B", 1),
    ];

    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var value = text.Trim();
        long factor = 1;
        foreach (var (unit, unitFactor) in Units)
        {
            if (value.EndsWith(unit, StringComparison.Ordinal))
            {
                value = value[..^unit.Length].TrimEnd();
                factor = unitFactor;
                break;
            }
        }

        if (!decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var total = number * factor;
        if (total > long.MaxValue)
        {
            return false;
        }

        bytes = (long)total;
        return true;
    }

    /// <summary>Bytes with a binary unit, for messages and logs: "2 GiB", "1.5 MiB", "128 B".</summary>
    public static string Format(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{value:0.##} {units[unit]}");
    }
}
