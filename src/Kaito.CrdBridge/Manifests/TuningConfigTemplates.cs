using k8s.Models;
using Kaito.Api.V1Alpha1;

namespace Kaito.CrdBridge.Manifests;

/// <summary>Upstream's default training parameters, <c>lora-params-template</c> and <c>qlora-params-template</c>: the
/// ConfigMap a tuning Job mounts at /mnt/config when <c>tuning.config</c> is empty. Shared by every tuning workspace of
/// a namespace and never owned by one, as upstream copies it into the namespace once.</summary>
internal static class TuningConfigTemplates
{
    public const string LoraName = "lora-params-template";
    public const string QLoraName = "qlora-params-template";
    public const string FileName = "training_config.yaml";

    private const string LoraQuantization = "  QuantizationConfig:\n    load_in_4bit: false";

    // QLoRA: the base model loaded in 4 bits (NF4, double quantization), the adapter trained in bfloat16.
    private const string QLoraQuantization = "  QuantizationConfig:\n    load_in_4bit: true\n    bnb_4bit_quant_type: \"nf4\"\n"
        + "    bnb_4bit_compute_dtype: \"bfloat16\"\n    bnb_4bit_use_double_quant: true";

    /// <summary>The ConfigMap the Job of this tuning spec mounts: the user's, or the method's default.</summary>
    public static string ConfigMapName(TuningSpec tuning) => tuning.Config is { Length: > 0 } own
        ? own
        : tuning.Method == TuningMethods.QLora ? QLoraName : LoraName;

    public static V1ConfigMap Build(string workspaceNamespace, string method) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta
        {
            Name = method == TuningMethods.QLora ? QLoraName : LoraName,
            NamespaceProperty = workspaceNamespace,
            Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "kaito" },
        },
        Data = new Dictionary<string, string> { [FileName] = Yaml(method == TuningMethods.QLora ? QLoraQuantization : LoraQuantization) },
    };

    private static string Yaml(string quantization) => $$"""
        training_config:
          ModelConfig: # https://huggingface.co/docs/transformers/main_classes/model#transformers.PreTrainedModel.from_pretrained
            torch_dtype: "bfloat16"
            local_files_only: true
            device_map: "auto"

        {{quantization}}

          LoraConfig: # https://huggingface.co/docs/peft/package_reference/lora#peft.LoraConfig
            r: 8
            lora_alpha: 8
            lora_dropout: 0.0
            target_modules: "all-linear"

          TrainingArguments: # https://huggingface.co/docs/transformers/main_classes/trainer#transformers.TrainingArguments
            output_dir: "/mnt/results"
            ddp_find_unused_parameters: false
            save_strategy: "epoch"
            per_device_train_batch_size: 1
            max_steps: 2  # raise for real training

          DataCollator: # https://huggingface.co/docs/transformers/main_classes/data_collator#transformers.DataCollatorForLanguageModeling
            mlm: true

          DatasetConfig:
            shuffle_dataset: true
            train_test_split: 1

        """;
}
