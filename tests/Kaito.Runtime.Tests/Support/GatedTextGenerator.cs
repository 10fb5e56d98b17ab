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

    public GenerationStream Start(GenerationRequest request, CancellationToken cancellationToken) =>
        new RelayingTextGenerator(inner, (index, token) => index == 0 ? Task.CompletedTask : _gate.Task.WaitAsync(token))
            .Start(request, cancellationToken);
}
