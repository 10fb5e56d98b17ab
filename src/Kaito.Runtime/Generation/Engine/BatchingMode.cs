namespace Kaito.Runtime.Generation.Engine;

/// <summary>How concurrent requests share the model (Runtime:Batching).</summary>
public enum BatchingMode
{
    /// <summary>Dynamic when the model is built for it (genai_config.json has engine.dynamic_batching), else static.</summary>
    Auto,

    /// <summary>Continuous batching: requests join and leave the running batch at every step (paged KV cache).</summary>
    Dynamic,

    /// <summary>Static batching: up to four requests start together and the batch admits nobody until all finish.</summary>
    Static,

    /// <summary>No engine: every request runs its own Generator.</summary>
    Off,
}
