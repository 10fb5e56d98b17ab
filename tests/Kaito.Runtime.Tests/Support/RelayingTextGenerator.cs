using Kaito.Runtime.Generation;

namespace Kaito.Runtime.Tests.Support;

/// <summary>
/// Wraps the real generator and relays its chunks through a fresh pipe, awaiting a test's hook before each one (given
/// the chunk's index), so a test can hold a generation or make it fail at a chosen point, deterministically.
/// </summary>
public sealed class RelayingTextGenerator(ITextGenerator inner, Func<int, CancellationToken, Task> beforeChunk) : ITextGenerator
{
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
                var index = 0;
                await foreach (var chunk in source.Reader.ReadAllAsync(token))
                {
                    await beforeChunk(index++, token);
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
