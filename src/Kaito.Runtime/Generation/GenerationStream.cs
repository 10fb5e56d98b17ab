using System.Threading.Channels;

namespace Kaito.Runtime.Generation;

/// <summary>
/// A running generation: its chunks arrive on <see cref="Reader"/>; the last one carries the outcome. Disposing it
/// cancels the generation and waits until the producer has really stopped, so the caller can free the slot.
/// </summary>
public sealed class GenerationStream(ChunkPipe pipe, Task producer, CancellationTokenSource cancellation) : IAsyncDisposable
{
    public ChannelReader<GenerationChunk> Reader => pipe.Reader;

    /// <summary>See <see cref="ChunkPipe.FirstWritten"/>: awaiting it sends the first token from the producer's thread.</summary>
    public Task FirstWritten => pipe.FirstWritten;

    /// <summary>Completes when the producer has written its last chunk (it reports failures through the pipe).</summary>
    public Task Finished { get; } = producer;

    public async ValueTask DisposeAsync()
    {
        await cancellation.CancelAsync().ConfigureAwait(false);
        try
        {
            await Finished.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Cancelled on purpose.
        }
        finally
        {
            cancellation.Dispose();
        }
    }
}
