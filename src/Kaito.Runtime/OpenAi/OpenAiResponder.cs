using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Kaito.Runtime.Generation;
using Kaito.Runtime.Serving;

namespace Kaito.Runtime.OpenAi;

/// <summary>
/// Writes generations as an OpenAI body: one JSON object with a choice per generation, or server-sent events (one JSON
/// chunk per data line, all text available at the moment batched into one chunk per choice, a chunk with each choice's
/// finish_reason, an optional usage chunk with empty choices, then <c>data: [DONE]</c>).
/// </summary>
public sealed partial class OpenAiResponder(HttpContext context, string id, string model, bool chat, TimeProvider clock)
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();
    private readonly long _created = clock.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Runs every choice to its end, then writes one body (prompt tokens counted once, as OpenAI does).</summary>
    public async Task WriteAsync(GenerationRunner runner, IReadOnlyList<GenerationRequest> requests)
    {
        var results = await ChoiceFanOut.RunAsync(requests, (_, request, cancel) => ReadChoiceAsync(runner, request, cancel), context.RequestAborted);
        var choices = results.Select((r, index) => chat
            ? new CompletionChoice(index, new ResponseMessage("assistant", r.Text), null, null, Reason(r.Outcome.FinishReason), Logprobs(r.Logprobs, 0))
            : new CompletionChoice(index, null, null, r.Text, Reason(r.Outcome.FinishReason), Logprobs(r.Logprobs, 0))).ToList();
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, Body(choices, UsageOf([.. results.Select(r => r.Outcome)])), RuntimeJson.Context.CompletionResponse, context.RequestAborted);
    }

    /// <summary>Streams one choice; the first token goes out from the generating thread (see ChunkPipe).</summary>
    public async Task StreamAsync(ActiveGeneration generation, bool includeUsage)
    {
        var cancel = context.RequestAborted;
        await generation.WaitForFirstChunkAsync(cancel);
        var output = Start(1);
        var stream = new ChoiceStream();
        GenerationOutcome? outcome = null;
        try
        {
            while (outcome is null && await generation.Reader.WaitToReadAsync(cancel))
            {
                while (generation.Reader.TryRead(out var chunk))
                {
                    stream.Add(chunk);
                    outcome ??= chunk.Outcome;
                }

                WritePending(output, 0, stream);
                await output.FlushAsync(cancel);
            }
        }
        catch (Exception error) when (ActiveGeneration.IsFailure(error, cancel))
        {
            await FailAsync(output, ActiveGeneration.Failed(error), cancel);
            return;
        }

        await FinishAsync(output, [outcome ?? throw new InvalidOperationException("The generation ended without an outcome.")], includeUsage, cancel);
    }

    /// <summary>
    /// Streams n choices at once, each chunk tagged with its choice's index. A choice refused after the stream began
    /// (no slot left) ends the stream with an error event, like any failure after the status line went out.
    /// </summary>
    public async Task StreamManyAsync(GenerationRunner runner, IReadOnlyList<GenerationRequest> requests, bool includeUsage)
    {
        var cancel = context.RequestAborted;
        var events = Channel.CreateUnbounded<(int Index, GenerationChunk Chunk)>();
        var pumps = ChoiceFanOut.RunAsync(requests, (index, request, token) => PumpAsync(runner, request, index, events.Writer, token), cancel);
        _ = pumps.ContinueWith(
            t => events.Writer.TryComplete(t.Exception?.GetBaseException() ?? (t.IsCanceled ? new OperationCanceledException(cancel) : null)),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        // Anything refused before the first chunk (429, a 400 from the grammar) is still a plain HTTP error.
        await events.Reader.WaitToReadAsync(cancel);
        var output = Start(requests.Count);
        var streams = requests.Select(_ => new ChoiceStream()).ToArray();
        var outcomes = new GenerationOutcome?[requests.Count];
        try
        {
            do
            {
                while (events.Reader.TryRead(out var item))
                {
                    streams[item.Index].Add(item.Chunk);
                    outcomes[item.Index] ??= item.Chunk.Outcome;
                }

                for (var index = 0; index < streams.Length; index++)
                {
                    WritePending(output, index, streams[index]);
                }

                await output.FlushAsync(cancel);
            }
            while (await events.Reader.WaitToReadAsync(cancel));
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancel.IsCancellationRequested)
        {
            await FailAsync(output, error as RuntimeRequestException ?? ActiveGeneration.Failed(error), cancel);
            return;
        }

        await FinishAsync(output, [.. outcomes.Select(o => o ?? throw new InvalidOperationException("A choice ended without an outcome."))], includeUsage, cancel);
    }

    private static async Task<ChoiceResult> ReadChoiceAsync(GenerationRunner runner, GenerationRequest request, CancellationToken cancel)
    {
        await using var active = await runner.StartAsync(request, cancel);
        var logprobs = request.Logprobs is null ? null : new List<TokenLogprob>();
        var (text, outcome) = await active.ReadToEndAsync(cancel, logprobs);
        return new ChoiceResult(text, outcome, logprobs);
    }

    private static async Task<bool> PumpAsync(GenerationRunner runner, GenerationRequest request, int index, ChannelWriter<(int, GenerationChunk)> events, CancellationToken cancel)
    {
        await using var active = await runner.StartAsync(request, cancel);
        await active.WaitForFirstChunkAsync(cancel);
        try
        {
            while (await active.Reader.WaitToReadAsync(cancel))
            {
                while (active.Reader.TryRead(out var chunk))
                {
                    events.TryWrite((index, chunk));
                }
            }
        }
        catch (Exception error) when (ActiveGeneration.IsFailure(error, cancel))
        {
            throw ActiveGeneration.Failed(error);
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The generation for {Path} failed after its stream started")]
    private static partial void LogFailedMidStream(ILogger logger, Exception error, string path);

    private static string Reason(FinishReason reason) => reason == FinishReason.Length ? "length" : "stop";

    /// <summary>Prompt tokens once (every choice reads the same prompt), completion tokens of all choices.</summary>
    private static Usage UsageOf(IReadOnlyList<GenerationOutcome> outcomes)
    {
        var prompt = outcomes[0].PromptTokens;
        var completion = outcomes.Sum(o => o.CompletionTokens);
        return new(prompt, completion, prompt + completion);
    }

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

    /// <summary>The event-stream headers and, for chat, each choice's opening chunk with the assistant role.</summary>
    private PipeWriter Start(int choices)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var output = response.BodyWriter;
        if (chat)
        {
            for (var index = 0; index < choices; index++)
            {
                Event(output, Body([new CompletionChoice(index, null, new ResponseMessage("assistant", string.Empty), null, null)], null));
            }
        }

        return output;
    }

    private void WritePending(PipeWriter output, int index, ChoiceStream stream)
    {
        if (stream.Take() is { } pending)
        {
            Event(output, Body([Piece(index, pending.Text, null, Logprobs(pending.Logprobs, pending.Offset))], null));
        }
    }

    private async Task FinishAsync(PipeWriter output, IReadOnlyList<GenerationOutcome> outcomes, bool includeUsage, CancellationToken cancel)
    {
        for (var index = 0; index < outcomes.Count; index++)
        {
            Event(output, Body([Piece(index, null, Reason(outcomes[index].FinishReason), null)], null));
        }

        if (includeUsage)
        {
            Event(output, Body([], UsageOf(outcomes)));
        }

        output.Write(Done);
        await output.FlushAsync(cancel);
    }

    /// <summary>
    /// The status line has gone out as 200: tell the client in the stream, as OpenAI does, and end it without [DONE]
    /// so that no client takes the text so far for a whole answer.
    /// </summary>
    private async Task FailAsync(PipeWriter output, RuntimeRequestException failure, CancellationToken cancel)
    {
        LogFailedMidStream(context.RequestServices.GetRequiredService<ILogger<OpenAiResponder>>(), failure.InnerException ?? failure, context.Request.Path);
        context.Items[RequestMetricsMiddleware.FailedAfterStartItem] = true;
        Event(output, failure, static (writer, failure) => ErrorBody.Write(writer, failure, openAi: true));
        await output.FlushAsync(cancel);
    }

    private JsonElement? Logprobs(IReadOnlyList<TokenLogprob>? tokens, int offset) => tokens switch
    {
        null => null,
        _ when chat => OpenAiLogprobs.Chat(tokens),
        _ => OpenAiLogprobs.Text(tokens, offset),
    };

    private CompletionChoice Piece(int index, string? text, string? finishReason, JsonElement? logprobs) => chat
        ? new CompletionChoice(index, null, new ResponseMessage(null, text), null, finishReason, logprobs)
        : new CompletionChoice(index, null, null, text ?? string.Empty, finishReason, logprobs);

    private CompletionResponse Body(IReadOnlyList<CompletionChoice> choices, Usage? usage) =>
        new(id, chat ? (choices.Count == 0 || choices[0].Delta is not null ? "chat.completion.chunk" : "chat.completion") : "text_completion", _created, model, choices, usage);

    /// <summary>What one choice has produced and not yet sent: text, and token logprobs when asked for.</summary>
    private sealed class ChoiceStream
    {
        private readonly StringBuilder _text = new();
        private List<TokenLogprob>? _logprobs;
        private int _sent;

        public void Add(GenerationChunk chunk)
        {
            _text.Append(chunk.Text);
            if (chunk.Logprob is { } logprob)
            {
                (_logprobs ??= []).Add(logprob);
            }
        }

        /// <summary>The pending text and logprobs, or null when there is nothing to send.</summary>
        public (string Text, List<TokenLogprob>? Logprobs, int Offset)? Take()
        {
            if (_text.Length == 0 && _logprobs is null)
            {
                return null;
            }

            var pending = (_text.ToString(), _logprobs, _sent);
            _sent += _text.Length;
            _text.Clear();
            _logprobs = null;
            return pending;
        }
    }
}
