using System.Globalization;
using System.Text.RegularExpressions;

namespace Kaito.Api.Serialization;

/// <summary>
/// What an unquoted, untagged YAML scalar means to kubectl, whose reader (sigs.k8s.io/yaml, a fork of go-yaml v2)
/// follows YAML 1.1: the booleans <c>y|yes|true|on</c> and <c>n|no|false|off</c> in three casings; the nulls
/// <c>~</c>, <c>null</c> and the empty scalar; integers with <c>_</c> separators in decimal, <c>0x</c> hex,
/// <c>0o</c> or leading-zero octal and <c>0b</c> binary; and floats. Anything else is a string (timestamps stay text).
/// </summary>
public static partial class Yaml11Scalar
{
    private static readonly Dictionary<string, object?> Words = new(StringComparer.Ordinal)
    {
        ["y"] = true, ["Y"] = true, ["yes"] = true, ["Yes"] = true, ["YES"] = true,
        ["true"] = true, ["True"] = true, ["TRUE"] = true,
        ["on"] = true, ["On"] = true, ["ON"] = true,
        ["n"] = false, ["N"] = false, ["no"] = false, ["No"] = false, ["NO"] = false,
        ["false"] = false, ["False"] = false, ["FALSE"] = false,
        ["off"] = false, ["Off"] = false, ["OFF"] = false,
        [""] = null, ["~"] = null, ["null"] = null, ["Null"] = null, ["NULL"] = null,
    };

    /// <summary>The value: <c>bool</c>, <c>long</c>, <c>double</c>, null for a YAML null, or the text itself.</summary>
    public static object? Resolve(string text)
    {
        if (Words.TryGetValue(text, out var word))
        {
            return word;
        }

        if (text.Length == 0 || !(char.IsAsciiDigit(text[0]) || text[0] is '+' or '-' or '.'))
        {
            return text;
        }

        var plain = text.Replace("_", "", StringComparison.Ordinal);
        if (ParseGoInteger(plain) is { } integer)
        {
            return integer;
        }

        if (FloatPattern().IsMatch(plain) && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return d;
        }

        return text;
    }

    // Go's strconv.ParseInt(s, 0, 64): an optional sign, then 0x/0o/0b, a leading 0 (octal) or decimal digits.
    private static long? ParseGoInteger(string text)
    {
        var negative = text.StartsWith('-');
        var body = text.Length > 0 && text[0] is '+' or '-' ? text[1..] : text;
        var (digits, radix) = body.Length > 1 && body[0] == '0'
            ? char.ToLowerInvariant(body[1]) switch
            {
                'x' => (body[2..], 16),
                'o' => (body[2..], 8),
                'b' => (body[2..], 2),
                _ => (body[1..], 8),
            }
            : (body, 10);
        if (digits.Length == 0 || !digits.All(ch => Uri.IsHexDigit(ch) && Convert.ToInt32(ch.ToString(), 16) < radix))
        {
            return null;
        }

        try
        {
            var magnitude = digits.Aggregate(0UL, (acc, ch) => checked((acc * (ulong)radix) + (ulong)Convert.ToInt32(ch.ToString(), 16)));
            return negative ? checked(-(long)magnitude) : checked((long)magnitude);
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    [GeneratedRegex("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
