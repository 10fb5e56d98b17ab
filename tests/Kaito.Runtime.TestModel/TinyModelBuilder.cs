using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kaito.Runtime.TestModel;

/// <summary>Writes a complete GenAI model folder: model.onnx, genai_config.json and the tokenizer files.</summary>
public static class TinyModelBuilder
{
    public static string Write(string directory, TinyModelOptions? options = null)
    {
        options ??= new TinyModelOptions();
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "model.onnx"), TinyDecoderGraph.Build(options));
        File.WriteAllText(Path.Combine(directory, "genai_config.json"), GenAiConfigJson(options));
        File.WriteAllText(Path.Combine(directory, "tokenizer.json"), TinyTokenizerFiles.TokenizerJson());
        File.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), TinyTokenizerFiles.TokenizerConfigJson());
        return directory;
    }

    public static string GenAiConfigJson(TinyModelOptions options) => new JsonObject
    {
        ["model"] = new JsonObject
        {
            ["bos_token_id"] = TinyModelOptions.EosTokenId,
            ["eos_token_id"] = TinyModelOptions.EosTokenId,
            ["pad_token_id"] = TinyModelOptions.EosTokenId,
            ["context_length"] = options.ContextLength,
            ["vocab_size"] = TinyModelOptions.VocabSize,
            ["type"] = "llama",
            ["decoder"] = new JsonObject
            {
                ["session_options"] = new JsonObject { ["log_id"] = "onnxruntime-genai", ["provider_options"] = new JsonArray() },
                ["filename"] = "model.onnx",
                ["head_size"] = options.HeadSize,
                ["hidden_size"] = options.Hidden,
                ["num_attention_heads"] = options.Heads,
                ["num_key_value_heads"] = options.Heads,
                ["num_hidden_layers"] = options.Layers,
                ["inputs"] = new JsonObject
                {
                    ["input_ids"] = "input_ids",
                    ["attention_mask"] = "attention_mask",
                    ["position_ids"] = "position_ids",
                    ["past_key_names"] = "past_key_values.%d.key",
                    ["past_value_names"] = "past_key_values.%d.value",
                },
                ["outputs"] = new JsonObject
                {
                    ["logits"] = "logits",
                    ["present_key_names"] = "present.%d.key",
                    ["present_value_names"] = "present.%d.value",
                },
            },
        },
        ["search"] = new JsonObject
        {
            ["do_sample"] = false,
            ["max_length"] = options.ContextLength,
            ["min_length"] = 0,
            ["num_beams"] = 1,
            ["num_return_sequences"] = 1,
            ["past_present_share_buffer"] = false,
            ["repetition_penalty"] = 1.0,
            ["temperature"] = 1.0,
            ["top_k"] = 1,
            ["top_p"] = 1.0,
        },
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
