using Kaito.Runtime.Generation;
using Kaito.Runtime.Tests.Support;

namespace Kaito.Runtime.Tests.Generation;

public sealed class ModelLoaderTests
{
    [Fact]
    public void The_cpu_build_serves_on_cpu_and_logs_why_even_when_cuda_is_asked_for()
    {
        Assert.False(ModelLoader.IsGpuBuild);
        var logger = new CapturingLogger<ModelLoader>();
        using var model = new ModelLoader(logger).Load(TestModelFiles.ModelDirectory, "cuda");
        Assert.Equal("cpu", model.ExecutionProvider);
        Assert.Equal(1024, model.ContextLength);
        Assert.Contains(logger.Messages, m => m.Contains("Execution provider cpu", StringComparison.Ordinal) && m.Contains("CUDA", StringComparison.Ordinal));
    }

    [Fact]
    public void The_gpu_build_refuses_to_serve_on_cpu_when_cuda_is_unavailable()
    {
        // On this machine CUDA really is unavailable to GenAI (no CUDA add-on library), as on a GPU node with a broken driver.
        var error = Assert.Throws<InvalidOperationException>(() => new ModelLoader(new CapturingLogger<ModelLoader>(), gpuBuild: true).Load(TestModelFiles.ModelDirectory, "auto"));
        Assert.Contains("CUDA is unavailable", error.Message, StringComparison.Ordinal);
        Assert.Contains("Runtime:AllowCpuFallback=true", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_gpu_build_falls_back_to_cpu_only_when_allowed_and_says_so()
    {
        var logger = new CapturingLogger<ModelLoader>();
        using var model = new ModelLoader(logger, gpuBuild: true).Load(TestModelFiles.ModelDirectory, "auto", allowCpuFallback: true);
        Assert.Equal("cpu", model.ExecutionProvider);
        Assert.Contains(logger.Messages, m => m.Contains("falling back to CPU (Runtime:AllowCpuFallback=true)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_model_folder_is_named_in_the_error()
    {
        var missing = TestModelFiles.NewScratchDirectory();
        var error = Assert.Throws<DirectoryNotFoundException>(() => new ModelLoader(new CapturingLogger<ModelLoader>()).Load(missing, "cpu"));
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }
}
