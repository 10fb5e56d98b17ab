namespace Kaito.Runtime.Kaito;

/// <summary>POST /chat as upstream Kaito's transformers runtime takes it.</summary>
public sealed record KaitoChatRequest(
    string? Prompt,
    bool ReturnFullText = true,
    bool CleanUpTokenizationSpaces = false,
    GenerateKwargs? GenerateKwargs = null);
