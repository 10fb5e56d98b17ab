namespace Kaito.Runtime.OpenAi;

/// <summary>stream_options: include_usage adds a last chunk with usage and no choices.</summary>
public sealed record StreamOptions(bool IncludeUsage);
