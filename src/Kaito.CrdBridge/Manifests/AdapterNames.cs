using System.Security.Cryptography;
using System.Text;
using Kaito.Api.Validation;

namespace Kaito.CrdBridge.Manifests;

/// <summary>
/// Adapter names are DNS-1123 subdomains (dots allowed, up to 253 characters), as upstream accepts them, but container
/// and volume names must be DNS-1123 labels. A name that already makes a label is used as it is; any other is mapped
/// to one: dots become dashes, the rest is cut to fit, and 8 hex digits of the name's SHA-256 keep two names apart.
/// The adapter's folder (<c>/mnt/adapter/&lt;name&gt;</c>) and strength variable keep the name itself.
/// </summary>
internal static class AdapterNames
{
    public const string VolumePrefix = "adapter-volume-";

    public static string ContainerName(string adapterName) => ToLabel("", adapterName);

    public static string VolumeName(string adapterName) => ToLabel(VolumePrefix, adapterName);

    private static string ToLabel(string prefix, string name)
    {
        var whole = prefix + name;
        if (Dns1123.IsLabel(whole))
        {
            return whole;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8];
        var room = Dns1123.LabelMaxLength - prefix.Length - hash.Length - 1;
        var stem = name.Replace('.', '-');
        stem = stem[..Math.Min(stem.Length, room)].TrimEnd('-');
        return $"{prefix}{stem}-{hash}";
    }
}
