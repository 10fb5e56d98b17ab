using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Kaito.Runtime.Generation;
using Kaito.Runtime.Serving;

namespace Kaito.Runtime.OpenAi;

/// <summary>
/// Writes a generation as an OpenAI body: one JSON object, or server-sent events (one JSON chunk per data line, all
/// text available at the moment batched into one chunk, a final chunk with finish_reason, an optional usage chunk
/// with empty choices, then <c>data: [DONE]</c>).
/// </summary>
public sealed partial class OpenAiResponder(HttpContext context, string id, string model, bool chat, TimeProvider clock)
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();
    private readonly long _created = clock.GetUtcNow().ToUnixTimeSeconds();

    public async Task WriteAsync(ActiveGeneration generation)
    {
        var (text, outcome) = await generation.ReadToEndAsync(context.RequestAborted);
        var choice = chat
            ? new CompletionChoice(0, new ResponseMessage("assistant", text), null, null, Reason(outcome.FinishReason))
            : new CompletionChoice(0, null, null, text, Reason(outcome.FinishReason));
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, Body([choice], UsageOf(outcome)), RuntimeJson.Context.CompletionResponse, context.RequestAborted);
    }

    public async Task StreamAsync(ActiveGeneration generation, bool includeUsage)
    {
        var cancel = context.RequestAborted;
        // Continues on the generating thread when the first token arrives (see ChunkPipe), so it goes out at once.
        await generation.WaitForFirstChunkAsync(cancel);
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var output = response.BodyWriter;
        if (chat)
        {
            Event(output, Body([new CompletionChoice(0, null, new ResponseMessage("assistant", string.Empty), null, null)], null));
        }

        GenerationOutcome outcome;
        try
        {
            outcome = await StreamTextAsync(generation, output, cancel);
        }
        catch (Exception error) when (ActiveGeneration.IsFailure(error, cancel))
        {
            // The status line has gone out as 200: tell the client in the stream, as OpenAI does, and end it without
            // [DONE] so that no client takes the text so far for a whole answer.
            var failure = ActiveGeneration.Failed(error);
            LogFailedMidStream(context.RequestServices.GetRequiredService<ILogger<OpenAiResponder>>(), error, context.Request.Path);
            context.Items[RequestMetricsMiddleware.FailedAfterStartItem] = true;
            Event(output, failure, static (writer, failure) => ErrorBody.Write(writer, failure, openAi: true));
            await output.FlushAsync(cancel);
            return;
        }

        Event(output, Body([Piece(null, Reason(outcome.FinishReason))], null));
        if (includeUsage)
        {
            Event(output, Body([], UsageOf(outcome)));
        }

        output.Write(Done);
        await output.FlushAsync(cancel);
    }

    /// <summary>Sends text as it comes, all that is available in one chunk, until the outcome arrives.</summary>
    private async Task<GenerationOutcome> StreamTextAsync(ActiveGeneration generation, PipeWriter output, CancellationToken cancel)
    {
        GenerationOutcome? outcome = null;
        var text = new StringBuilder();
        while (outcome is null && await generation.Reader.WaitToReadAsync(cancel))
        {
            while (generation.Reader.TryRead(out var chunk))
            {
                text.Append(chunk.Text);
                outcome ??= chunk.Outcome;
            }

            if (text.Length > 0)
            {
                Event(output, Body([Piece(text.ToString(), null)], null));
                text.Clear();
            }

            await output.FlushAsync(cancel);
        }

        return outcome ?? throw new InvalidOperationException("The generation ended without an outcome.");
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The generation for {Path} failed after its stream started")]
    private static partial void LogFailedMidStream(ILogger logger, Exception error, string path);

    private static string Reason(FinishReason reason) => reason == FinishReason.Length ? "length" : "stop";

    private static Usage UsageOf(GenerationOutcome outcome) =>
        new(outcome.PromptTokens, outcome.CompletionTokens, outcome.PromptTokens + outcome.CompletionTokens);

    private static void Event(IBufferWriter<byte> output, CompletionResponse body) =>
        Event(output, body, static (writer, body) => JsonSerializer.Serialize(writer, body, RuntimeJson.Context.CompletionResponse));

    /// <summary>One server-sent event: <c>data: </c>, one line of JSON, a blank line (static writers: no allocation per token).</summary>
    private static void Event<T>(IBufferWriter<byte> output, T value, Action<Utf8JsonWriter, T> writeJson)
    {
        output.Write(DataPrefix);
        using (var writer = new Utf8JsonWriter(output, RuntimeJson.WriterOptions))
        {
            writeJson(writer, value);
        }

        output.Write(EventEnd);
    }

    private CompletionChoice Piece(string? text, string? finishReason) => chat
        ? new CompletionChoice(0, null, new ResponseMessage(null, text), null, finishReason)
        : new CompletionChoice(0, null, null, text ?? string.Empty, finishReason);

    private CompletionResponse Body(IReadOnlyList<CompletionChoice> choices, Usage? usage) =>
        new(id, chat ? (choices.Count == 0 || choices[0].Delta is not null ? "chat.completion.chunk" : "chat.completion") : "text_completion", _created, model, choices, usage);
}
