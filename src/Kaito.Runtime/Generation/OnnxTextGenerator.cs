using System.Threading.Channels;

namespace Kaito.Runtime.Generation;

/// <summary>
/// Runs <see cref="GenerationLoop"/> on a thread-pool thread and hands its text to the endpoint through a channel,
/// so generating the next token overlaps with sending the last one to the client.
/// </summary>
public sealed class OnnxTextGenerator(ModelHost host) : ITextGenerator
{
    public GenerationStream Start(GenerationRequest request, CancellationToken cancellationToken)
    {
        var loop = host.Loop ?? throw new InvalidOperationException("The model is not loaded.");
        var channel = Channel.CreateUnbounded<GenerationChunk>(new UnboundedChannelOptions
        {
            SingleReader = true,
            SingleWriter = true,
            // A waiting HTTP writer runs on the generating thread up to its next await (with inline socket scheduling,
            // through the socket send), so a token reaches the wire without a thread hop; a writer that is busy when
            // tokens arrive sends all of them as one chunk on its next turn.
            AllowSynchronousContinuations = true,
        });
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = cancellation.Token;
        // A generation blocks its thread-pool thread in native code for its whole length; ModelHost raises the pool's
        // minimum so that MaxConcurrentGenerations of them cannot starve Kestrel.
        var producer = Task.Run(
            () =>
            {
                try
                {
                    var outcome = loop.Run(request, text => channel.Writer.TryWrite(new GenerationChunk(text, null)), token);
                    channel.Writer.TryWrite(new GenerationChunk(string.Empty, outcome));
                    channel.Writer.TryComplete();
                }
                catch (Exception error)
                {
                    channel.Writer.TryComplete(error);
                }
            },
            CancellationToken.None);
        return new GenerationStream(channel.Reader, producer, cancellation);
    }
}
