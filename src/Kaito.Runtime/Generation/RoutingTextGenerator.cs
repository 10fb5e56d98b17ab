using Kaito.Runtime.Generation.Engine;

namespace Kaito.Runtime.Generation;

/// <summary>
/// The server's <see cref="ITextGenerator"/>: a request the batching engine can serve (see
/// <see cref="EngineEligibility"/>) runs there, batched with the others; anything else runs its own Generator
/// (<see cref="OnnxTextGenerator"/>), as does everything while batching is off or the engine is not running.
/// </summary>
public sealed class RoutingTextGenerator(BatchingEngineHost engines, OnnxTextGenerator generator, BatchingMetrics metrics) : ITextGenerator
{
    public GenerationStream Start(GenerationRequest request, CancellationToken cancellationToken)
    {
        var engine = engines.Engine;
        var reason = engine is { IsServing: true }
            ? EngineEligibility.Check(request, engine.Plan.Mode)
            : "batching is off";
        if (reason is null)
        {
            return engine!.Start(request, cancellationToken);
        }

        metrics.CountGeneratorPath(reason);
        return generator.Start(request, cancellationToken);
    }
}
