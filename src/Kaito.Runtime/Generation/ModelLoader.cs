using System.Text.Json;
using Microsoft.ML.OnnxRuntimeGenAI;
using GenAiAdapters = Microsoft.ML.OnnxRuntimeGenAI.Adapters;

namespace Kaito.Runtime.Generation;

/// <summary>
/// Loads the GenAI model on the configured execution provider. CUDA is tried only in the GPU build
/// (-p:KaitoGpu=true, which brings Microsoft.ML.OnnxRuntimeGenAI.Cuda); GenAI throws from <c>new Model(config)</c>
/// when CUDA cannot be used. A GPU pod quietly serving on CPU is ~100x slower and looks healthy, so the loader then
/// fails unless CPU fallback is allowed (Runtime:AllowCpuFallback), in which case it logs why and loads on CPU.
/// </summary>
public sealed partial class ModelLoader(ILogger<ModelLoader> logger)
{
    private readonly bool _gpuBuild = IsGpuBuild;

    /// <summary>Tests run the GPU build's decision on the CPU build, where CUDA really is unavailable.</summary>
    internal ModelLoader(ILogger<ModelLoader> logger, bool gpuBuild)
        : this(logger) => _gpuBuild = gpuBuild;

    /// <summary>True in the build made with -p:KaitoGpu=true (Microsoft.ML.OnnxRuntimeGenAI.Cuda).</summary>
    public static bool IsGpuBuild { get; } =
#if KAITO_GPU
        true;
#else
        false;
#endif

    public LoadedModel Load(string directory, string executionProvider, int intraOpThreads = 0, bool allowCpuFallback = false)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"the model folder {directory} does not exist.");
        }

        var wantsCuda = executionProvider.Equals("cuda", StringComparison.OrdinalIgnoreCase)
            || (executionProvider.Equals("auto", StringComparison.OrdinalIgnoreCase) && _gpuBuild);
        Model? model = null;
        var provider = "cpu";
        string reason;
        if (!wantsCuda)
        {
            reason = _gpuBuild ? "configured ExecutionProvider=cpu" : "CPU build (publish with -p:KaitoGpu=true for CUDA)";
        }
        else if (!_gpuBuild)
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
            catch (OnnxRuntimeGenAIException error) when (allowCpuFallback)
            {
                reason = $"CUDA unavailable, falling back to CPU (Runtime:AllowCpuFallback=true): {error.Message}";
            }
            catch (OnnxRuntimeGenAIException error)
            {
                throw new InvalidOperationException(
                    $"CUDA is unavailable ({error.Message}) and the GPU build does not fall back to CPU; set Runtime:ExecutionProvider=cpu or Runtime:AllowCpuFallback=true to serve on CPU.", error);
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
