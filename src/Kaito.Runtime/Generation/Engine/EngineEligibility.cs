namespace Kaito.Runtime.Generation.Engine;

/// <summary>
/// The one place that decides whether a request may run on the batching engine or must take the Generator path.
/// <para>
/// Anything this check does not know goes to the Generator path: a field added to <see cref="GenerationRequest"/> or
/// <see cref="SamplingSettings"/> with a default value sends every request that sets it to the Generator until a
/// condition for it is added below (the record comparisons catch it). To let the engine serve such a field, add it to
/// the copies in <see cref="UsesOnlyKnownFields"/> and, where the engine cannot honour it, a condition in
/// <see cref="Check"/> that returns the reason.
/// </para>
/// </summary>
public static class EngineEligibility
{
    /// <summary>Returns null when the engine can serve the request, else why it goes to the Generator path.</summary>
    public static string? Check(GenerationRequest request, BatchingMode mode)
    {
        if (mode is not (BatchingMode.Static or BatchingMode.Dynamic))
        {
            return "batching is off";
        }

        if (!UsesOnlyKnownFields(request))
        {
            return "the request sets a field the engine path does not handle";
        }

        if (request.Adapter is not null)
        {
            return "adapter: GenAI's Engine API has no LoRA adapter support";
        }

        var sampling = request.Sampling;
        if (sampling.Seed is not null)
        {
            return "seed: a seeded request must give the Generator's reproducible output";
        }

        if (request.Stop.Count > 0 && mode == BatchingMode.Static)
        {
            return "stop: a static engine cannot end one row early";
        }

        if (sampling.MinLength > 0)
        {
            return "min_length: counted differently by the engine";
        }

        if (sampling.RepetitionPenalty != 1.0)
        {
            return "repetition_penalty: not verified on the engine";
        }

        return null;
    }

    /// <summary>
    /// True when every field other than the ones known here has its default value. A positional field added without a
    /// default breaks this copy at compile time, which is the point: decide here whether the engine can serve it.
    /// </summary>
    private static bool UsesOnlyKnownFields(GenerationRequest request)
    {
        var sampling = request.Sampling;
        var knownSampling = new SamplingSettings(
            sampling.DoSample, sampling.Temperature, sampling.TopK, sampling.TopP, sampling.RepetitionPenalty, sampling.MinLength, sampling.Seed);
        var known = new GenerationRequest(request.PromptTokens, request.MaxNewTokens, sampling, request.Stop, request.Adapter, request.ReceivedAt);
        return knownSampling == sampling && known == request;
    }
}
