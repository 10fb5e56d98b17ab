namespace Kaito.Runtime.OpenAi;

/// <summary>
/// chat.completion, chat.completion.chunk and text_completion bodies. Created is Unix seconds as an integer (the
/// OpenAI .NET client rejects anything else).
/// </summary>
public sealed record CompletionResponse(string Id, string Object, long Created, string Model, IReadOnlyList<CompletionChoice> Choices, Usage? Usage);
