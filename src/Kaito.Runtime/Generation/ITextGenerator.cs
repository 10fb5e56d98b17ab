namespace Kaito.Runtime.Generation;

/// <summary>Starts generations; the HTTP endpoints depend on this seam, the GenAI loop implements it.</summary>
public interface ITextGenerator
{
    /// <summary>Starts generating in the background; dispose the stream to cancel and wait for it to stop.</summary>
    GenerationStream Start(GenerationRequest request, CancellationToken cancellationToken);
}
