using System.Threading.Channels;

namespace Kaito.Runtime.Generation;

/// <summary>
/// A running generation: its chunks arrive on <see cref="Reader"/>; the last one carries the outcome. Disposing it
/// cancels the generation and waits until the producer has really stopped, so the caller can free the slot.
/// </summary>
public sealed class GenerationStream(ChannelReader<GenerationChunk> reader, Task producer, CancellationTokenSource cancellation) : IAsyncDisposable
{
    public ChannelReader<GenerationChunk> Reader { get; } = reader;

    public async ValueTask DisposeAsync()
    {
        await cancellation.CancelAsync().ConfigureAwait(false);
        try
        {
            await producer.ConfigureAwait(false);
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
