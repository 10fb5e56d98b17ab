namespace Kaito.Api.Serialization;

/// <summary>
/// What the Workspace reader accepts before it gives up, so that a hostile document (an alias bomb, deep nesting, a
/// huge text) is refused in milliseconds instead of keeping <c>kaito validate</c> or the Service Bus intake busy.
/// A real Workspace is a few kilobytes, a few levels deep and a few hundred nodes.
/// </summary>
public static class YamlReaderLimits
{
    /// <summary>The longest text read (characters): 1 MiB, as the API server's request limit is about 3 MiB.</summary>
    public const int MaxChars = 1024 * 1024;

    /// <summary>The deepest nesting of mappings and sequences.</summary>
    public const int MaxDepth = 64;

    /// <summary>The most nodes after aliases are expanded.</summary>
    public const int MaxNodes = 100_000;
}
