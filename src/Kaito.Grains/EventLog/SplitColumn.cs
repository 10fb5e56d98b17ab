using System.Text;
using Azure.Data.Tables;

namespace Kaito.Grains.EventLog;

/// <summary>
/// A string longer than one Azure Table property (64 KiB, i.e. 32K UTF-16 characters) kept over several:
/// <c>Data</c>, <c>Data1</c>, <c>Data2</c>, ... and read back by joining them in order. An entity holds 1 MiB in all,
/// so at most <see cref="MaxParts"/> parts fit beside the other columns.
/// </summary>
public static class SplitColumn
{
    /// <summary>Azure Table's limit for one string property: 64 KiB, i.e. 32K UTF-16 characters.</summary>
    public const int PartLength = 32 * 1024;

    /// <summary>15 parts (960 KiB as stored) leave room for the other columns in a 1 MiB entity.</summary>
    public const int MaxParts = 15;

    public const int MaxLength = PartLength * MaxParts;

    public static string PartName(string name, int part) =>
        part == 0 ? name : name + part.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Writes <paramref name="value"/> over as many parts as it needs and returns how many; the caller checks <see cref="MaxLength"/>.</summary>
    public static int Write(TableEntity entity, string name, string value)
    {
        var parts = 0;
        var start = 0;
        do
        {
            var length = Math.Min(PartLength, value.Length - start);
            if (start + length < value.Length && char.IsHighSurrogate(value[start + length - 1]))
            {
                // Never cut a surrogate pair in two: each part must be valid text on its own.
                length--;
            }

            entity[PartName(name, parts++)] = value.Substring(start, length);
            start += length;
        }
        while (start < value.Length);

        return parts;
    }

    /// <summary>Joins the parts: <paramref name="parts"/> of them when known, else every consecutive one present.</summary>
    public static string? Read(TableEntity entity, string name, int? parts = null)
    {
        var first = entity.GetString(name);
        if (first is null || (parts is null && entity.GetString(PartName(name, 1)) is null) || parts == 1)
        {
            return first;
        }

        var sb = new StringBuilder(first, first.Length * 2);
        for (var i = 1; parts is null || i < parts; i++)
        {
            var part = entity.GetString(PartName(name, i));
            if (part is null)
            {
                // A known count with a part missing is damage: report it as an unreadable value.
                return parts is null ? sb.ToString() : null;
            }

            sb.Append(part);
        }

        return sb.ToString();
    }

    /// <summary>The stored size of a row's strings, as Azure counts it (two bytes a character), for batching.</summary>
    public static long EstimateBytes(TableEntity entity)
    {
        long bytes = 1024;
        foreach (var value in ((IDictionary<string, object>)entity).Values)
        {
            bytes += value is string s ? 2L * s.Length : 16;
        }

        return bytes;
    }
}
