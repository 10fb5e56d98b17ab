using Kaito.Runtime.Generation;

namespace Kaito.Runtime.Tests.Support;

/// <summary>
/// Wraps the real generator and fails the generation after its first <paramref name="chunksBeforeFailure"/> chunks,
/// as a model that errors midway (out of device memory, a bad kernel) would.
/// </summary>
public sealed class FailingTextGenerator(ITextGenerator inner, int chunksBeforeFailure) : ITextGenerator
{
    public const string FailureMessage = "simulated model failure";

    public GenerationStream Start(GenerationRequest request, CancellationToken cancellationToken) =>
        new RelayingTextGenerator(inner, (index, _) => index == chunksBeforeFailure
                ? Task.FromException(new InvalidOperationException(FailureMessage))
                : Task.CompletedTask)
            .Start(request, cancellationToken);
}
