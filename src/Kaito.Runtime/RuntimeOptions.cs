namespace Kaito.Runtime;

/// <summary>Configuration of the model server, bound from the "Runtime" section (env: Runtime__Port, ...).</summary>
public sealed class RuntimeOptions
{
    public const string SectionName = "Runtime";

    /// <summary>Time the host needs after the drain to stop Kestrel, free the model and exit.</summary>
    public static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(5);

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

    /// <summary>
    /// The largest LoRA rank an adapter may bring for a model input whose rank dim is symbolic; a larger one fails
    /// start-up (the rank is what the adapter costs in memory and time per token).
    /// </summary>
    public int MaxAdapterRank { get; set; } = 64;

    /// <summary>Requests admitted at once (generations running, on the engine or the Generator path); at least MaxBatchSize.</summary>
    public int MaxConcurrentGenerations { get; set; } = Math.Max(16, Environment.ProcessorCount);

    /// <summary>
    /// Memory for the KV cache of all running generations, e.g. "2GiB", "512MiB", "8G" or a number of bytes. Every
    /// request reserves its whole window (prompt + max new tokens) before it starts. Unset: half of the memory
    /// available to the process after the model's weights (set it on a GPU, where the cache lives in device memory).
    /// </summary>
    public string? KvCacheMemory { get; set; }

    /// <summary>Requests waiting for a generation slot or KV cache room; beyond that the server answers 429.</summary>
    public int MaxQueuedRequests { get; set; } = 64;

    /// <summary>The Retry-After header sent with 429.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>
    /// How long shutdown waits for in-flight generations. With <see cref="ShutdownMargin"/> it must fit within
    /// <see cref="TerminationGracePeriod"/>, or Kubernetes kills the pod mid-drain.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The pod's terminationGracePeriodSeconds (Kubernetes' default 30 s): SIGKILL follows SIGTERM after it.</summary>
    public TimeSpan TerminationGracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where a start-up failure's reason is written for Kubernetes (the container's terminationMessagePath).</summary>
    public string TerminationMessagePath { get; set; } = "/dev/termination-log";

    /// <summary>Lets the GPU build serve on CPU when CUDA cannot be used (it refuses by default).</summary>
    public bool AllowCpuFallback { get; set; }

    /// <summary>
    /// Batching across requests: "auto" (dynamic when the model is built for it, else static), "dynamic", "static" or
    /// "off" (every request runs its own Generator). See docs/runtime.md, "Batching across requests".
    /// </summary>
    public string Batching { get; set; } = "auto";

    /// <summary>The most requests in the batching engine at once (a static engine runs at most 4 per batch).</summary>
    public int MaxBatchSize { get; set; } = 16;

    /// <summary>
    /// Static batching only: how long an idle engine waits for more requests before it starts a batch with fewer rows
    /// than it holds. A static batch admits nobody until all its rows finish, so without it the first request of a
    /// burst runs alone and the burst takes one batch more. Costs at most this much time to first token on an idle
    /// server; 0 turns it off.
    /// </summary>
    public TimeSpan BatchGatherWindow { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>max_tokens when an OpenAI request gives none.</summary>
    public int DefaultMaxTokens { get; set; } = 256;

    /// <summary>The largest request body accepted; a larger one is answered 413 (Kestrel's own limit is set to it).</summary>
    public long MaxRequestBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// A chat template that replaces the model's (upstream's --chat_template): a path to a Jinja file, or the template
    /// text. Empty: the template in the model's tokenizer_config.json.
    /// </summary>
    public string? ChatTemplate { get; set; }
}
