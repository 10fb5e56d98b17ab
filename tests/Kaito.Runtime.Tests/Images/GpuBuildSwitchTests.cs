using System.Text.Json;
using Kaito.Testing;

namespace Kaito.Runtime.Tests.Images;

/// <summary>
/// The GPU build cannot be restored here (the CUDA GenAI package is not served), so its switch is checked where it
/// lives: MSBuild's evaluation of the runtime project with and without -p:KaitoGpu=true.
/// </summary>
public sealed class GpuBuildSwitchTests
{
    private const string CpuPackage = "Microsoft.ML.OnnxRuntimeGenAI";
    private const string CudaPackage = "Microsoft.ML.OnnxRuntimeGenAI.Cuda";

    [Fact]
    public async Task The_default_build_takes_the_cpu_package_and_no_gpu_constant()
    {
        var project = await EvaluateAsync();
        Assert.Contains(CpuPackage, project.References);
        Assert.DoesNotContain(CudaPackage, project.References);
        Assert.DoesNotContain("KAITO_GPU", project.Constants);
    }

    [Fact]
    public async Task The_gpu_switch_swaps_in_the_cuda_package_at_the_same_pinned_version_and_defines_KAITO_GPU()
    {
        var project = await EvaluateAsync("-p:KaitoGpu=true");
        Assert.Contains(CudaPackage, project.References);
        Assert.DoesNotContain(CpuPackage, project.References);
        Assert.Contains("KAITO_GPU", project.Constants);
        Assert.Equal(project.Versions[CpuPackage], project.Versions[CudaPackage]);
    }

    private static async Task<(string[] References, string[] Constants, Dictionary<string, string> Versions)> EvaluateAsync(params string[] properties)
    {
        var (exitCode, output, errors) = await ChildProcess.RunAsync("dotnet", ["msbuild", RepoPaths.Of("src", "Kaito.Runtime", "Kaito.Runtime.csproj"), .. properties,
            "-getItem:PackageReference", "-getItem:PackageVersion", "-getProperty:DefineConstants"]);
        Assert.True(exitCode == 0, $"dotnet msbuild exited {exitCode}:\n{output}{errors}");

        var root = JsonDocument.Parse(output).RootElement;
        var items = root.GetProperty("Items");
        return (
            items.GetProperty("PackageReference").EnumerateArray().Select(i => i.GetProperty("Identity").GetString()!).ToArray(),
            root.GetProperty("Properties").GetProperty("DefineConstants").GetString()!.Split(';'),
            items.GetProperty("PackageVersion").EnumerateArray().ToDictionary(i => i.GetProperty("Identity").GetString()!, i => i.GetProperty("Version").GetString()!));
    }
}
