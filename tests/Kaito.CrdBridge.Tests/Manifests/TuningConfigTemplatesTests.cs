using Kaito.Api.Serialization;
using Kaito.Api.V1Alpha1;
using Kaito.CrdBridge.Manifests;

namespace Kaito.CrdBridge.Tests.Manifests;

/// <summary>The default training ConfigMaps are YAML the trainer can read, and differ by the 4-bit base model only.</summary>
public sealed class TuningConfigTemplatesTests
{
    [Theory]
    [InlineData(TuningMethods.Lora, "lora-params-template", false)]
    [InlineData(TuningMethods.QLora, "qlora-params-template", true)]
    public void The_default_config_of_each_method_parses_with_upstreams_sections(string method, string name, bool fourBit)
    {
        var config = TuningConfigTemplates.Build("ns", method);

        var root = YamlDocumentReader.Read(config.Data[TuningConfigTemplates.FileName])[0]!["training_config"]!;
        Assert.Equal(name, config.Metadata.Name);
        Assert.Equal(fourBit, root["QuantizationConfig"]!["load_in_4bit"]!.GetValue<bool>());
        Assert.Equal(8, root["LoraConfig"]!["r"]!.GetValue<long>());
        Assert.Equal("/mnt/results", root["TrainingArguments"]!["output_dir"]!.GetValue<string>());
        Assert.NotNull(root["ModelConfig"]);
        Assert.NotNull(root["DatasetConfig"]);
    }
}
