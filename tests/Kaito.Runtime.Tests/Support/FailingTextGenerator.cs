using Kaito.Runtime.Generation;

namespace Kaito.Runtime.Tests.Support;

/// <summary>
/// Wraps the real generator and fails the generation after its first <paramref name="chunksBeforeFailure"/> chunks,
/// as a model that errors midway (out of device memory, a bad kernel) would.
/// </summary>
public sealed class FailingTextGenerator(ITextGenerator inner, int chunksBeforeFailure) : ITextGenerator
{
    public const string FailureMessage = "simulated model failure";

    public GenerationStream Start(GenerationRequest request, CancellationToken cancellationToken)
    {
        var source = inner.Start(request, cancellationToken);
        var pipe = new ChunkPipe();
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = cancellation.Token;
        var pump = Task.Run(async () =>
        {
            try
            {
                var passed = 0;
                await foreach (var chunk in source.Reader.ReadAllAsync(token))
                {
                    if (passed++ == chunksBeforeFailure)
                    {
                        throw new InvalidOperationException(FailureMessage);
                    }

                    pipe.Write(chunk);
                }

                pipe.Complete();
            }
            catch (Exception error)
            {
                pipe.Complete(error);
            }
            finally
            {
                await source.DisposeAsync();
            }
        });
        return new GenerationStream(pipe, pump, cancellation);
    }
}
