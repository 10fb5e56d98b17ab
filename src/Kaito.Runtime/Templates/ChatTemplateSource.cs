using Microsoft.Extensions.Options;

namespace Kaito.Runtime.Templates;

/// <summary>
/// The chat template override (Runtime:ChatTemplate, or --chat_template on the command line as upstream takes it): a
/// path to a Jinja file, or the template itself. Null when not set: the model's own template is used.
/// </summary>
public sealed class ChatTemplateSource(IOptions<RuntimeOptions> options)
{
    private readonly Lazy<string?> _template = new(() => Resolve(options.Value.ChatTemplate));

    public string? Override => _template.Value;

    /// <summary>A file's text when the value names an existing file, else the value itself (null when empty).</summary>
    public static string? Resolve(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null
        : File.Exists(value) ? File.ReadAllText(value)
        : value;

    /// <summary>True when the value is a file or reads like a Jinja template; anything else is a mistyped path.</summary>
    public static bool IsUsable(string? value) =>
        string.IsNullOrWhiteSpace(value) || File.Exists(value) || value.Contains("{{", StringComparison.Ordinal) || value.Contains("{%", StringComparison.Ordinal);
}
