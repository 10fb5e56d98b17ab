using System.Text.RegularExpressions;

namespace Kaito.Api.Validation;

/// <summary>The DNS-1035 label rule Kubernetes applies to Service names, with apimachinery's message.</summary>
public static partial class Dns1035
{
    public const int LabelMaxLength = 63;

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex LabelPattern();

    /// <summary>Null when <paramref name="value"/> is a DNS-1035 label, else every reason it is not.</summary>
    public static string? CheckLabel(string value)
    {
        var problems = new List<string>();
        if (value.Length > LabelMaxLength)
        {
            problems.Add($"must be no more than {LabelMaxLength} characters");
        }

        if (!LabelPattern().IsMatch(value))
        {
            problems.Add("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
        }

        return problems.Count == 0 ? null : string.Join(", ", problems);
    }
}
