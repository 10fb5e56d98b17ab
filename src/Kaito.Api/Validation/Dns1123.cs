using System.Text.RegularExpressions;

namespace Kaito.Api.Validation;

/// <summary>Kubernetes name rules, with apimachinery's messages.</summary>
public static partial class Dns1123
{
    public const int LabelMaxLength = 63;

    public const int SubdomainMaxLength = 253;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex LabelPattern();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex SubdomainPattern();

    /// <summary>Null when <paramref name="value"/> is a DNS-1123 label, else the reason it is not.</summary>
    public static string? CheckLabel(string value)
    {
        if (value.Length > LabelMaxLength)
        {
            return $"must be no more than {LabelMaxLength} characters";
        }

        return LabelPattern().IsMatch(value)
            ? null
            : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    }

    public static bool IsLabel(string value) => CheckLabel(value) is null;

    /// <summary>Null when <paramref name="value"/> is a DNS-1123 subdomain, else every reason it is not, joined as upstream joins them.</summary>
    public static string? CheckSubdomain(string value)
    {
        var problems = new List<string>();
        if (value.Length > SubdomainMaxLength)
        {
            problems.Add($"must be no more than {SubdomainMaxLength} characters");
        }

        if (!SubdomainPattern().IsMatch(value))
        {
            problems.Add("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
        }

        return problems.Count == 0 ? null : string.Join(", ", problems);
    }
}
