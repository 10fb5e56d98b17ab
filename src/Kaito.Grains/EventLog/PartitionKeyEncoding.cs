using System.Text;

namespace Kaito.Grains.EventLog;

/// <summary>
/// Aggregate ids as Azure Table partition keys. PartitionKey forbids '/', '\', '#', '?' and control characters, so
/// those (and the escape character '%') are written as %XX; everything else stays readable (<c>default%2Fphi-3</c>).
/// </summary>
public static class PartitionKeyEncoding
{
    public static string Encode(string id)
    {
        var sb = new StringBuilder(id.Length + 8);
        foreach (var c in id)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c))
            {
                sb.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    public static string Decode(string key)
    {
        if (!key.Contains('%', StringComparison.Ordinal))
        {
            return key;
        }

        var sb = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] == '%' && i + 2 < key.Length)
            {
                sb.Append((char)Convert.ToInt32(key.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                sb.Append(key[i]);
            }
        }

        return sb.ToString();
    }
}
