using System.Text;

namespace Kaito.CrdBridge.Status;

/// <summary>
/// Makes a condition reason what Kubernetes accepts (metav1.Condition: non-empty, at most 1024 characters,
/// <c>^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$</c>), in CamelCase: "node claim failed" becomes NodeClaimFailed.
/// </summary>
public static class ConditionReason
{
    public const string Fallback = "Unknown";
    private const int MaxLength = 1024;

    public static string Sanitize(string? reason)
    {
        var text = new StringBuilder();
        var upperNext = true;
        foreach (var c in reason ?? "")
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or ',' or ':')
            {
                text.Append(upperNext ? char.ToUpperInvariant(c) : c);
                upperNext = false;
            }
            else
            {
                upperNext = true;
            }
        }

        var result = text.ToString().TrimEnd(',', ':');
        if (result.Length == 0)
        {
            return Fallback;
        }

        if (!char.IsAsciiLetter(result[0]))
        {
            result = "Reason" + result;
        }

        return result.Length <= MaxLength ? result : result[..MaxLength].TrimEnd(',', ':');
    }
}
