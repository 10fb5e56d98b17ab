using System.Text.RegularExpressions;

namespace Kaito.Api.Validation;

/// <summary>Label key and value syntax, as apimachinery checks it.</summary>
public static partial class LabelSyntax
{
    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex PrefixPattern();

    public static string? CheckKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0 && (key[..slash].Length > 253 || !PrefixPattern().IsMatch(key[..slash])))
        {
            return $"\"{key}\": prefix part must be a lowercase RFC 1123 subdomain";
        }

        return name.Length is > 0 and <= 63 && NamePattern().IsMatch(name)
            ? null
            : $"\"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', must start and end with an alphanumeric character, and must be no more than 63 characters";
    }

    public static string? CheckValue(string value) =>
        value.Length == 0 || value.Length <= 63 && NamePattern().IsMatch(value)
            ? null
            : "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, and must be no more than 63 characters";
}
