using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Kaito.Runtime.Generation;

namespace Kaito.Runtime.Serving;

/// <summary>
/// A started generation holding its slot and KV cache reservation; disposing it stops the generation, then frees both.
/// </summary>
/// <param name="onCompleted">
/// Called at disposal with the Stopwatch timestamp at which the generation ended, when it ended with an outcome (not
/// cancelled, not failed); the end-to-end latency metric.
/// </param>
public sealed class ActiveGeneration(GenerationStream stream, GenerationLease lease, Action<long>? onCompleted = null) : IAsyncDisposable
{
    private readonly Task<long> _ended = onCompleted is null
        ? Task.FromResult(0L)
        : stream.Finished.ContinueWith(static _ => Stopwatch.GetTimestamp(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    public ChannelReader<GenerationChunk> Reader => stream.Reader;

    /// <summary>
    /// Waits for the first chunk, continuing on the generating thread when it comes (see <see cref="ChunkPipe"/>). A
    /// generation that failed before its first chunk throws <see cref="Failed"/> here, while nothing has been sent, so
    /// the endpoint still answers with a plain HTTP error.
    /// </summary>
    public async Task WaitForFirstChunkAsync(CancellationToken requestAborted)
    {
        await stream.FirstWritten;
        if (!Reader.TryPeek(out _) && Reader.Completion.IsFaulted)
        {
            await CompletionAsync(requestAborted);
        }
    }

    /// <summary>
    /// Reads the whole answer (the non-streaming path). It waits for the producer to finish rather than waking up for
    /// every token, which would cost a thread hop per token. Token log probabilities, when the request asked for them,
    /// are added to <paramref name="logprobs"/>.
    /// </summary>
    public async Task<(string Text, GenerationOutcome Outcome)> ReadToEndAsync(CancellationToken cancellationToken, List<TokenLogprob>? logprobs = null)
    {
        await stream.Finished.WaitAsync(cancellationToken).ConfigureAwait(false);
        var text = new StringBuilder();
        GenerationOutcome? outcome = null;
        while (Reader.TryRead(out var chunk))
        {
            text.Append(chunk.Text);
            outcome ??= chunk.Outcome;
            if (chunk.Logprob is { } logprob)
            {
                logprobs?.Add(logprob);
            }
        }

        await CompletionAsync(cancellationToken).ConfigureAwait(false);
        return (text.ToString(), outcome ?? throw Failed(new InvalidOperationException("it ended without an outcome")));
    }

    /// <summary>
    /// True for an error of the generation itself (a model or runtime failure), as opposed to the client going away.
    /// </summary>
    public static bool IsFailure(Exception error, CancellationToken requestAborted) =>
        error is not RuntimeRequestException && !(error is OperationCanceledException && requestAborted.IsCancellationRequested);

    /// <summary>What the client is told when the generation itself failed (the server logs it with its stack).</summary>
    public static RuntimeRequestException Failed(Exception error) =>
        new(500, $"The generation failed: {error.Message}", innerException: error);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            if (onCompleted is not null && Reader.Completion.IsCompletedSuccessfully)
            {
                onCompleted(await _ended.ConfigureAwait(false));
            }
        }
        finally
        {
            lease.Dispose();
        }
    }

    /// <summary>Awaits the end of the chunks, turning a failure of the generation into <see cref="Failed"/>.</summary>
    private async Task CompletionAsync(CancellationToken requestAborted)
    {
        try
        {
            await Reader.Completion.ConfigureAwait(false);
        }
        catch (Exception error) when (IsFailure(error, requestAborted))
        {
            throw Failed(error);
        }
    }
}
