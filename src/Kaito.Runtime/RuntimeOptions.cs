namespace Kaito.Runtime;

/// <summary>Configuration of the model server, bound from the "Runtime" section (env: Runtime__Port, ...).</summary>
public sealed class RuntimeOptions
{
    public const string SectionName = "Runtime";

    /// <summary>HTTP port (Kaito's inference pods listen on 5000).</summary>
    public int Port { get; set; } = 5000;

    /// <summary>The address Kestrel listens on.</summary>
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>
    /// Run socket continuations inline rather than on the thread pool: one thread hop less per streamed write and on
    /// the way to the first token. Safe here because no handler blocks (generations run on their own threads).
    /// </summary>
    public bool InlineSocketScheduling { get; set; } = true;

    /// <summary>The GenAI model folder (model.onnx, genai_config.json, tokenizer files).</summary>
    public string ModelDirectory { get; set; } = "/workspace/weights";

    /// <summary>The id reported by /v1/models and accepted as "model"; defaults to the model folder's name.</summary>
    public string? ModelName { get; set; }

    /// <summary>"auto" (CUDA in the GPU build, else CPU), "cuda" or "cpu".</summary>
    public string ExecutionProvider { get; set; } = "auto";

    /// <summary>
    /// ONNX Runtime intra-op threads per generation (0: ORT's default, one per core). On CPU with several concurrent
    /// generations, 1 avoids oversubscribing the cores.
    /// </summary>
    public int IntraOpThreads { get; set; }

    /// <summary>One folder per LoRA adapter; the adapter's strength comes from the env var named like the folder.</summary>
    public string AdapterDirectory { get; set; } = "/mnt/adapter";

    /// <summary>Where strength-scaled copies of the adapters are written; defaults to a folder under the temp dir.</summary>
    public string? AdapterCacheDirectory { get; set; }

    /// <summary>Strengths that win over the environment (used by tests and by config files).</summary>
    public Dictionary<string, double> AdapterStrengths { get; set; } = [];

    /// <summary>Generations running at once.</summary>
    public int MaxConcurrentGenerations { get; set; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Requests waiting for a generation slot; beyond that the server answers 429.</summary>
    public int MaxQueuedRequests { get; set; } = 64;

    /// <summary>The Retry-After header sent with 429.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>How long shutdown waits for in-flight generations.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Batching across requests: "auto" (dynamic when the model is built for it, else static), "dynamic", "static" or
    /// "off" (every request runs its own Generator). See docs/runtime.md, "Batching across requests".
    /// </summary>
    public string Batching { get; set; } = "auto";

    /// <summary>The most requests in the batching engine at once (a static engine runs at most 4 per batch).</summary>
    public int MaxBatchSize { get; set; } = 16;

    /// <summary>max_tokens when an OpenAI request gives none.</summary>
    public int DefaultMaxTokens { get; set; } = 256;
}
