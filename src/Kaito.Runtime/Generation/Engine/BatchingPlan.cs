namespace Kaito.Runtime.Generation.Engine;

/// <summary>The batching mode and batch size the server runs with, and why; chosen once when the model is loaded.</summary>
public sealed record BatchingPlan(BatchingMode Mode, int MaxBatchSize, string Reason)
{
    /// <summary>GenAI 0.18's static scheduler forms batches of at most four rows, whatever the configuration says.</summary>
    public const int StaticEngineRows = 4;

    /// <summary>
    /// Picks the mode. GenAI decides static vs dynamic from the model's genai_config.json (engine.dynamic_batching
    /// selects the paged KV cache, which only models built with paged attention can run), so a request for the other
    /// mode than the model supports is answered with the one it does, and the reason says so.
    /// </summary>
    /// <param name="requested">Runtime:Batching.</param>
    /// <param name="maxBatchSize">Runtime:MaxBatchSize.</param>
    /// <param name="modelHasDynamicBatching">The model's genai_config.json has engine.dynamic_batching.</param>
    public static BatchingPlan Choose(BatchingMode requested, int maxBatchSize, bool modelHasDynamicBatching)
    {
        if (requested == BatchingMode.Off)
        {
            return new BatchingPlan(BatchingMode.Off, 1, "Runtime:Batching is off");
        }

        if (modelHasDynamicBatching)
        {
            var reason = requested == BatchingMode.Static
                ? "static was asked for, but the model is built for the paged KV cache, which only the dynamic engine runs"
                : "the model's genai_config.json enables engine.dynamic_batching";
            return new BatchingPlan(BatchingMode.Dynamic, maxBatchSize, reason);
        }

        var staticReason = requested == BatchingMode.Dynamic
            ? "dynamic was asked for, but the model's genai_config.json has no engine.dynamic_batching (a paged-attention build)"
            : "the model has no engine.dynamic_batching (not a paged-attention build)";
        return new BatchingPlan(BatchingMode.Static, Math.Min(maxBatchSize, StaticEngineRows), staticReason);
    }

    /// <summary>Parses Runtime:Batching (case-insensitive); null when it names no mode.</summary>
    public static BatchingMode? Parse(string? value) =>
        Enum.TryParse<BatchingMode>(value, ignoreCase: true, out var mode) && Enum.IsDefined(mode) && !int.TryParse(value, out _) ? mode : null;
}
