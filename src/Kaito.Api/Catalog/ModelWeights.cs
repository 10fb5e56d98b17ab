namespace Kaito.Api.Catalog;

/// <summary>
/// Where a preset's ONNX Runtime GenAI weights come from, to build its model image (deploy/images/model): a published
/// ONNX export on Hugging Face with its CUDA and CPU variant folders, or, where none is published, the Hugging Face
/// model that onnxruntime-genai's model builder converts.
/// </summary>
/// <param name="HuggingFace">The repository of a published ONNX export (<c>microsoft/Phi-3-mini-4k-instruct-onnx</c>).</param>
/// <param name="Cuda">Its folder for NVIDIA GPUs (<c>cuda/cuda-int4-rtn-block-32</c>).</param>
/// <param name="Cpu">Its folder for CPUs (<c>cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4</c>).</param>
/// <param name="Build">The Hugging Face model the model builder converts, when no export is published.</param>
public sealed record ModelWeights(string? HuggingFace, string? Cuda, string? Cpu, string? Build)
{
    public bool IsPublished => HuggingFace is not null;

    /// <summary>One line: <c>repo cuda-variant</c> for a published export, <c>model builder: hf-id</c> otherwise.</summary>
    public string Source => IsPublished ? $"{HuggingFace} {Cuda}" : $"model builder: {Build}";

    /// <summary>The command that makes the weights for <paramref name="executionProvider"/> (<c>cuda</c> or <c>cpu</c>).</summary>
    public string Command(string executionProvider) => IsPublished
        ? $"huggingface-cli download {HuggingFace} --include \"{(executionProvider == "cpu" ? Cpu : Cuda)}/*\" --local-dir ."
        : $"python -m onnxruntime_genai.models.builder -m {Build} -o weights -p int4 -e {executionProvider}";
}
