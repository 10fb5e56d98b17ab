using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kaito.Runtime.TestModel;

/// <summary>
/// tokenizer.json and tokenizer_config.json for a GPT-2 style byte-level BPE: ids 0-255 are the bytes (so a token id
/// equals its byte value), 256 is &lt;|endoftext|&gt;, 257-264 are eight merges.
/// </summary>
public static class TinyTokenizerFiles
{
    public const string ChatTemplate =
        "{% for message in messages %}{{ message['role'] }}: {{ message['content'] }}\n{% endfor %}" +
        "{% if add_generation_prompt %}assistant:{% endif %}";

    private static readonly string[] Merges = ["h e", "Ġ t", "Ġt he", "i n", "e r", "o n", "a n", "r e"];

    public static string TokenizerJson()
    {
        var unicode = BytesToUnicode();
        var vocab = new JsonObject();
        for (var b = 0; b < 256; b++)
        {
            vocab[unicode[b].ToString()] = b;
        }

        for (var i = 0; i < Merges.Length; i++)
        {
            vocab[Merges[i].Replace(" ", string.Empty, StringComparison.Ordinal)] = 257 + i;
        }

        var byteLevel = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true };
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new JsonArray(new JsonObject
            {
                ["id"] = TinyModelOptions.EosTokenId,
                ["content"] = "<|endoftext|>",
                ["single_word"] = false,
                ["lstrip"] = false,
                ["rstrip"] = false,
                ["normalized"] = false,
                ["special"] = true,
            }),
            ["normalizer"] = null,
            ["pre_tokenizer"] = byteLevel.DeepClone(),
            ["post_processor"] = null,
            ["decoder"] = byteLevel.DeepClone(),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = null,
                ["continuing_subword_prefix"] = string.Empty,
                ["end_of_word_suffix"] = string.Empty,
                ["fuse_unk"] = false,
                ["byte_fallback"] = false,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray([.. Merges.Select(m => (JsonNode)m)]),
            },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    public static string TokenizerConfigJson() => new JsonObject
    {
        ["tokenizer_class"] = "GPT2Tokenizer",
        ["add_bos_token"] = false,
        ["add_prefix_space"] = false,
        ["bos_token"] = "<|endoftext|>",
        ["eos_token"] = "<|endoftext|>",
        ["unk_token"] = "<|endoftext|>",
        ["model_max_length"] = 1024,
        ["chat_template"] = ChatTemplate,
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>GPT-2's reversible byte -> printable character map.</summary>
    private static char[] BytesToUnicode()
    {
        var map = new char[256];
        var extra = 0;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)(256 + extra++);
        }

        return map;
    }
}
