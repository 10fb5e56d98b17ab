using System.Text.RegularExpressions;

namespace Kaito.Silo.Audit;

/// <summary>
/// A last guard on summaries, which quote messages from Kubernetes and from validation: a value after a
/// credential-like key (<c>password=</c>, <c>token:</c>, <c>AccountKey=</c>, <c>Bearer</c> ...) is replaced by <c>***</c>.
/// The audit API never reads event payloads (specs, templates, environment values) in the first place.
/// </summary>
public static partial class SecretRedaction
{
    public const string Mask = "***";

    public static string Redact(string text) => Credential().Replace(text, m => m.Groups["key"].Value + Mask);

    [GeneratedRegex(@"(?<key>\b(?:[A-Za-z]*(?:password|passwd|secret|token|apikey|api_key|accountkey|sharedaccesskey|sharedaccesssignature|connectionstring)[A-Za-z]*)\s*[=:]\s*""?|\bBearer\s+)(?<value>[^\s;,""']+)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Credential();
}
