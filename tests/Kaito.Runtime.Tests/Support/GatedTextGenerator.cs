using Kaito.Runtime.Generation;

namespace Kaito.Runtime.Tests.Support;

/// <summary>
/// Wraps the real generator and holds every chunk after the first until the gate opens, so a test can keep a
/// generation (and its slot) busy for as long as it needs, deterministically.
/// </summary>
public sealed class GatedTextGenerator(ITextGenerator inner) : ITextGenerator
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Open() => _gate.TrySetResult();

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
                var first = true;
                await foreach (var chunk in source.Reader.ReadAllAsync(token))
                {
                    if (!first)
                    {
                        await _gate.Task.WaitAsync(token);
                    }

                    first = false;
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
