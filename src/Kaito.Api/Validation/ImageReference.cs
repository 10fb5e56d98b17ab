using System.Text.RegularExpressions;

namespace Kaito.Api.Validation;

/// <summary>Image references as upstream's tuning validation accepts them: <c>registry/repository:tag</c>.</summary>
public static partial class ImageReference
{
    [GeneratedRegex("^(.+/[^:/]+):([^:/]+)$")]
    private static partial Regex Pattern();

    public static bool IsValid(string image) => !image.Any(char.IsWhiteSpace) && Pattern().IsMatch(image);
}
