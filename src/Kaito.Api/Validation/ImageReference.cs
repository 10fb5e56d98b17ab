using System.Text.RegularExpressions;

namespace Kaito.Api.Validation;

/// <summary>
/// A container image reference read by the distribution reference grammar, the way upstream's parser
/// (<c>reference.ParseDockerRef</c>) reads it: an optional registry, a lowercase repository path, an optional tag and
/// an optional digest. <see cref="Domain"/> is null when the reference names no registry (the runtime would add
/// <c>docker.io</c>).
/// </summary>
public sealed partial record ImageReference(string? Domain, string Path, string? Tag, string? Digest)
{
    public const int NameMaxLength = 255;

    private const string PathComponent = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
    private const string DomainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private const string Host = $"(?:{DomainComponent}(?:\\.{DomainComponent})*|\\[[a-fA-F0-9:]+\\])";
    private const string Name = $"(?:{Host}(?::[0-9]+)?/)?{PathComponent}(?:/{PathComponent})*";
    private const string TagPattern = "[0-9A-Za-z_][0-9A-Za-z_.-]{0,127}";
    private const string DigestPattern = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";

    private static readonly Dictionary<string, int> DigestHexLengths = new(StringComparer.Ordinal)
    {
        ["sha256"] = 64,
        ["sha384"] = 96,
        ["sha512"] = 128,
    };

    [GeneratedRegex($"^({Name})(?::({TagPattern}))?(?:@({DigestPattern}))?$")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex("^[a-f0-9]{64}$")]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex("^[a-f0-9]+$")]
    private static partial Regex LowerHexPattern();

    /// <summary>The parsed reference, or null with <paramref name="error"/> set to the parser's message.</summary>
    public static ImageReference? TryParse(string text, out string? error)
    {
        if (IdentifierPattern().IsMatch(text))
        {
            error = $"invalid repository name ({text}), cannot specify 64-byte hexadecimal strings";
            return null;
        }

        var (domain, remainder) = SplitDomain(text);
        var tagAt = remainder.IndexOf(':', StringComparison.Ordinal);
        var remote = tagAt < 0 ? remainder : remainder[..tagAt];
        if (!remote.Equals(remote.ToLowerInvariant(), StringComparison.Ordinal))
        {
            error = $"invalid reference format: repository name ({remote}) must be lowercase";
            return null;
        }

        var match = ReferencePattern().Match(domain is null ? remainder : $"{domain}/{remainder}");
        if (!match.Success)
        {
            error = text.Length == 0 ? "repository name must have at least one component"
                : ReferencePattern().IsMatch(text.ToLowerInvariant()) ? "repository name must be lowercase"
                : "invalid reference format";
            return null;
        }

        if (match.Groups[1].Length > NameMaxLength)
        {
            error = $"repository name must not be more than {NameMaxLength} characters";
            return null;
        }

        var digest = match.Groups[3].Success ? match.Groups[3].Value : null;
        if (digest is not null && CheckDigest(digest) is { } digestProblem)
        {
            error = digestProblem;
            return null;
        }

        error = null;
        var path = domain is null ? match.Groups[1].Value : match.Groups[1].Value[(domain.Length + 1)..];
        return new ImageReference(domain, path, match.Groups[2].Success ? match.Groups[2].Value : null, digest);
    }

    // A first component is a registry when it has a '.' or ':', is "localhost", or has upper case (docker's rule).
    private static (string? Domain, string Remainder) SplitDomain(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return (null, text);
        }

        var first = text[..slash];
        var isDomain = first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal)
            || first == "localhost" || !first.Equals(first.ToLowerInvariant(), StringComparison.Ordinal);
        return isDomain ? (first, text[(slash + 1)..]) : (null, text);
    }

    private static string? CheckDigest(string digest)
    {
        var colon = digest.IndexOf(':', StringComparison.Ordinal);
        var (algorithm, encoded) = (digest[..colon], digest[(colon + 1)..]);
        if (!DigestHexLengths.TryGetValue(algorithm, out var length))
        {
            return "unsupported digest algorithm";
        }

        if (encoded.Length != length)
        {
            return "invalid checksum digest length";
        }

        return LowerHexPattern().IsMatch(encoded) ? null : "invalid checksum digest format";
    }
}
