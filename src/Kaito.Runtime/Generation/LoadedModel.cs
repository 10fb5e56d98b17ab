using Microsoft.ML.OnnxRuntimeGenAI;
using GenAiAdapters = Microsoft.ML.OnnxRuntimeGenAI.Adapters;

namespace Kaito.Runtime.Generation;

/// <summary>
/// A loaded GenAI model with its tokenizer and adapters; shared by all generations (GenAI allows that). Encoding adds
/// the special tokens the tokenizer's config asks for (add_bos_token), as Hugging Face does: GenAI 0.18 adds none
/// unless told to, which would leave Llama-style prompts without their BOS.
/// </summary>
public sealed class LoadedModel(Model model, Tokenizer tokenizer, GenAiAdapters adapters, int contextLength, string provider) : IDisposable
{
    public Model Model { get; } = model;

    public Tokenizer Tokenizer { get; } = WithSpecialTokens(tokenizer);

    public int BosTokenId { get; } = tokenizer.GetBosTokenId();

    public GenAiAdapters Adapters { get; } = adapters;

    public int ContextLength { get; } = contextLength;

    public string ExecutionProvider { get; } = provider;

    public int[] EosTokenIds { get; } = tokenizer.GetEosTokenIds().ToArray();

    public int[] Encode(string text)
    {
        using var sequences = Tokenizer.Encode(text);
        return sequences[0].ToArray();
    }

    /// <summary>Renders the messages with <paramref name="template"/>, or the model's own template when it is null.</summary>
    public string ApplyChatTemplate(string messagesJson, string? template = null) => Tokenizer.ApplyChatTemplate(template!, messagesJson, null!, true);

    private static Tokenizer WithSpecialTokens(Tokenizer tokenizer)
    {
        tokenizer.UpdateOptions(new Dictionary<string, string> { ["add_special_tokens"] = "true" });
        return tokenizer;
    }

    public void Dispose()
    {
        Adapters.Dispose();
        Tokenizer.Dispose();
        Model.Dispose();
    }
}
