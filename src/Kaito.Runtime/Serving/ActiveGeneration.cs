using System.Text;
using System.Threading.Channels;
using Kaito.Runtime.Generation;

namespace Kaito.Runtime.Serving;

/// <summary>A started generation holding its slot; disposing it stops the generation, then frees the slot.</summary>
public sealed class ActiveGeneration(GenerationStream stream, GenerationLease lease) : IAsyncDisposable
{
    public ChannelReader<GenerationChunk> Reader => stream.Reader;

    /// <inheritdoc cref="GenerationStream.FirstWritten"/>
    public Task FirstWritten => stream.FirstWritten;

    /// <summary>
    /// Reads the whole answer (the non-streaming path). It waits for the producer to finish rather than waking up for
    /// every token, which would cost a thread hop per token.
    /// </summary>
    public async Task<(string Text, GenerationOutcome Outcome)> ReadToEndAsync(CancellationToken cancellationToken)
    {
        await stream.Finished.WaitAsync(cancellationToken).ConfigureAwait(false);
        var text = new StringBuilder();
        GenerationOutcome? outcome = null;
        while (Reader.TryRead(out var chunk))
        {
            text.Append(chunk.Text);
            outcome ??= chunk.Outcome;
        }

        await Reader.Completion.ConfigureAwait(false);

        return (text.ToString(), outcome ?? throw new InvalidOperationException("The generation ended without an outcome."));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            lease.Dispose();
        }
    }
}
