using System.Text.Json;
using Microsoft.ML.OnnxRuntimeGenAI;
using GenAiAdapters = Microsoft.ML.OnnxRuntimeGenAI.Adapters;

namespace Kaito.Runtime.Generation;

/// <summary>
/// Loads the GenAI model on the configured execution provider. CUDA is tried only in the GPU build
/// (-p:KaitoGpu=true, which brings Microsoft.ML.OnnxRuntimeGenAI.Cuda); GenAI throws from <c>new Model(config)</c>
/// when CUDA cannot be used, so the loader falls back to CPU and logs why.
/// </summary>
public sealed partial class ModelLoader(ILogger<ModelLoader> logger)
{
    /// <summary>True in the build made with -p:KaitoGpu=true (Microsoft.ML.OnnxRuntimeGenAI.Cuda).</summary>
    public static bool IsGpuBuild { get; } =
#if KAITO_GPU
        true;
#else
        false;
#endif

    public LoadedModel Load(string directory, string executionProvider, int intraOpThreads = 0)
    {
        var wantsCuda = executionProvider.Equals("cuda", StringComparison.OrdinalIgnoreCase)
            || (executionProvider.Equals("auto", StringComparison.OrdinalIgnoreCase) && IsGpuBuild);
        Model? model = null;
        var provider = "cpu";
        string reason;
        if (!wantsCuda)
        {
            reason = IsGpuBuild ? "configured ExecutionProvider=cpu" : "CPU build (publish with -p:KaitoGpu=true for CUDA)";
        }
        else if (!IsGpuBuild)
        {
            reason = "CUDA was asked for, but this is the CPU build without the CUDA GenAI package";
        }
        else
        {
            try
            {
                using var cudaConfig = Configure(directory, intraOpThreads);
                cudaConfig.AppendProvider("cuda");
                model = new Model(cudaConfig);
                provider = "cuda";
                reason = "GPU build, CUDA available";
            }
            catch (OnnxRuntimeGenAIException error)
            {
                reason = $"CUDA unavailable: {error.Message}";
            }
        }

        if (model is null)
        {
            using var config = Configure(directory, intraOpThreads);
            model = new Model(config);
        }

        LogProvider(provider, reason);
        var tokenizer = new Tokenizer(model);
        return new LoadedModel(model, tokenizer, new GenAiAdapters(model), ReadContextLength(directory), provider);
    }

    private static Config Configure(string directory, int intraOpThreads)
    {
        var config = new Config(directory);
        config.ClearProviders();
        if (intraOpThreads > 0)
        {
            var threads = intraOpThreads.ToString(System.Globalization.CultureInfo.InvariantCulture);
            config.Overlay("{\"model\":{\"decoder\":{\"session_options\":{\"intra_op_num_threads\":" + threads + "}}}}");
        }

        return config;
    }

    private static int ReadContextLength(string directory)
    {
        using var config = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "genai_config.json")));
        var model = config.RootElement.GetProperty("model");
        if (model.TryGetProperty("context_length", out var context))
        {
            return context.GetInt32();
        }

        return config.RootElement.GetProperty("search").GetProperty("max_length").GetInt32();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution provider {Provider}: {Reason}")]
    private partial void LogProvider(string provider, string reason);
}
