using System.Text;
using System.Threading.Channels;
using Kaito.Runtime.Generation;

namespace Kaito.Runtime.Serving;

/// <summary>A started generation holding its slot; disposing it stops the generation, then frees the slot.</summary>
public sealed class ActiveGeneration(GenerationStream stream, GenerationLease lease) : IAsyncDisposable
{
    public ChannelReader<GenerationChunk> Reader => stream.Reader;

    /// <summary>Reads the whole answer (the non-streaming path).</summary>
    public async Task<(string Text, GenerationOutcome Outcome)> ReadToEndAsync(CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        GenerationOutcome? outcome = null;
        await foreach (var chunk in Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            text.Append(chunk.Text);
            outcome ??= chunk.Outcome;
        }

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
