using Kaito.Runtime.Generation;
using Kaito.Runtime.Serving;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace Kaito.Runtime.Templates;

/// <summary>
/// Turns chat messages into prompt tokens: the chat template (the override, or the model's), then the tokenizer. A
/// template that renders bos_token itself (Llama 3 style) and a tokenizer that adds BOS would give two; the second is
/// dropped so the model sees exactly one, as it was trained.
/// </summary>
public sealed class ChatPrompt(ChatTemplateSource source)
{
    public int[] Encode(LoadedModel model, string messagesJson)
    {
        string text;
        try
        {
            text = model.ApplyChatTemplate(messagesJson, source.Override);
        }
        catch (OnnxRuntimeGenAIException error) when (source.Override is null && error.Message.Contains("Empty chat template", StringComparison.OrdinalIgnoreCase))
        {
            throw new RuntimeRequestException(400,
                "This model has no chat template, so /v1/chat/completions cannot build a prompt. Use /v1/completions with a raw prompt, or start the server with a template (Runtime:ChatTemplate or --chat_template).");
        }
        catch (OnnxRuntimeGenAIException error)
        {
            throw new RuntimeRequestException(400, $"The chat template could not render these messages: {FirstLine(error.Message)}");
        }

        return WithoutDoubleBos(model.Encode(text), model.BosTokenId);
    }

    /// <summary>[BOS, BOS, ...] becomes [BOS, ...]; anything else is left alone.</summary>
    public static int[] WithoutDoubleBos(int[] tokens, int bos) =>
        bos >= 0 && tokens.Length >= 2 && tokens[0] == bos && tokens[1] == bos ? tokens[1..] : tokens;

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
