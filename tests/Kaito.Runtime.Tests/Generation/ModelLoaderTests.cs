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
}
