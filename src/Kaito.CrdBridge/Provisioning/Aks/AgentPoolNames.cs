using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Kaito.CrdBridge.Provisioning.Aks;

/// <summary>
/// Agent pool names: AKS accepts <c>^[a-z][a-z0-9]{0,11}$</c> for Linux pools. A machine name that already fits
/// (<c>ws</c> + 9 hex digits) is the pool name, so that the node's <c>kubernetes.azure.com/agentpool</c> label names the
/// machine as the node watch expects; any other name is folded into one that fits, stable for the same machine.
/// </summary>
public static partial class AgentPoolNames
{
    public const int MaxLength = 12;

    public static bool IsValid(string name) => ValidName().IsMatch(name);

    public static string For(string machineName)
    {
        if (IsValid(machineName))
        {
            return machineName;
        }

        var kept = new string([.. machineName.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit)]);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(machineName)))[..5];
        var prefix = kept.Length > 0 && char.IsAsciiLetter(kept[0]) ? kept : "kp" + kept;
        return prefix[..Math.Min(prefix.Length, MaxLength - hash.Length)] + hash;
    }

    [GeneratedRegex("^[a-z][a-z0-9]{0,11}$")]
    private static partial Regex ValidName();
}
