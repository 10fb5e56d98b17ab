namespace Kaito.Runtime.Kaito;

/// <summary>
/// POST /chat as upstream Kaito's transformers runtime takes it. Any other field (upstream's prefix and
/// handle_long_generation included) is refused.
/// </summary>
public sealed record KaitoChatRequest(
    string? Prompt,
    bool ReturnFullText = true,
    bool CleanUpTokenizationSpaces = false,
    GenerateKwargs? GenerateKwargs = null);
