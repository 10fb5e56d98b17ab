using Microsoft.ML.OnnxRuntimeGenAI;
using GenAiAdapters = Microsoft.ML.OnnxRuntimeGenAI.Adapters;

namespace Kaito.Runtime.Generation;

/// <summary>A loaded GenAI model with its tokenizer and adapters; shared by all generations (GenAI allows that).</summary>
public sealed class LoadedModel(Model model, Tokenizer tokenizer, GenAiAdapters adapters, int contextLength, string provider) : IDisposable
{
    public Model Model { get; } = model;

    public Tokenizer Tokenizer { get; } = tokenizer;

    public GenAiAdapters Adapters { get; } = adapters;

    public int ContextLength { get; } = contextLength;

    public string ExecutionProvider { get; } = provider;

    public int[] EosTokenIds { get; } = tokenizer.GetEosTokenIds().ToArray();

    public int[] Encode(string text)
    {
        using var sequences = Tokenizer.Encode(text);
        return sequences[0].ToArray();
    }

    public string ApplyChatTemplate(string messagesJson) => Tokenizer.ApplyChatTemplate(null!, messagesJson, null!, true);

    public void Dispose()
    {
        Adapters.Dispose();
        Tokenizer.Dispose();
        Model.Dispose();
    }
}
