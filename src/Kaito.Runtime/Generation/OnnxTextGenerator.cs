namespace Kaito.Runtime.Generation;

/// <summary>
/// Runs <see cref="GenerationLoop"/> on a thread-pool thread and hands its text to the endpoint through a
/// <see cref="ChunkPipe"/>, so generating the next token overlaps with sending the last one to the client.
/// </summary>
public sealed class OnnxTextGenerator(ModelHost host) : ITextGenerator
{
    public GenerationStream Start(GenerationRequest request, CancellationToken cancellationToken)
    {
        var loop = host.Loop ?? throw new InvalidOperationException("The model is not loaded.");
        var pipe = new ChunkPipe();
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = cancellation.Token;
        // A generation blocks its thread-pool thread in native code for its whole length; ModelHost raises the pool's
        // minimum so that MaxConcurrentGenerations of them cannot starve Kestrel.
        var producer = Task.Run(
            () =>
            {
                try
                {
                    var outcome = loop.Stream(request, pipe.Write, token);
                    pipe.Write(new GenerationChunk(string.Empty, outcome));
                    pipe.Complete();
                }
                catch (Exception error)
                {
                    pipe.Complete(error);
                }
            },
            CancellationToken.None);
        return new GenerationStream(pipe, producer, cancellation);
    }
}
