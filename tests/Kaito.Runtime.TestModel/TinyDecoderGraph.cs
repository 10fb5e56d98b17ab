namespace Kaito.Runtime.TestModel;

/// <summary>
/// The decoder graph GenAI expects of a "llama" type model: input_ids, attention_mask, position_ids and per-layer
/// past key/values in; logits and present key/values out. Real multi-head causal attention with a KV cache, a ReLU
/// MLP, and two extra terms on the logits: the successor bump (predictable greedy text) and a LoRA term
/// <c>Gather(lora_A, input_ids) @ lora_B</c> whose tensors are graph inputs with zero defaults, so an ONNX Runtime
/// adapter can override them.
/// </summary>
public static class TinyDecoderGraph
{
    public static byte[] Build(TinyModelOptions options)
    {
        var random = new Random(options.Seed);
        var g = new OnnxGraph();
        int v = TinyModelOptions.VocabSize, h = options.Hidden, heads = options.Heads, d = options.HeadSize;

        g.Input("input_ids", OnnxGraph.Int64Type, "batch_size", "sequence_length");
        g.Input("attention_mask", OnnxGraph.Int64Type, "batch_size", "total_sequence_length");
        g.Input("position_ids", OnnxGraph.Int64Type, "batch_size", "sequence_length");

        var one = g.Initializer("one", [], [1L]);
        var zero = g.Initializer("zero", [], [0L]);
        var headShape = g.Initializer("head_shape", [4], [0L, 0, heads, d]);
        var mergeShape = g.Initializer("merge_shape", [3], [0L, 0, h]);
        var scale = g.Initializer("scale", [], [1f / MathF.Sqrt(d)]);
        var masked = g.Initializer("masked", [], [-1e9f]);

        var tokens = g.Node("Gather", [Random(g, random, "tok_emb", [v, h], 0.5f), "input_ids"]);
        var positions = g.Node("Gather", [Random(g, random, "pos_emb", [options.ContextLength, h], 0.5f), "position_ids"]);
        var x = g.Node("Add", [tokens, positions]);

        // Each row's query positions: its past length (attention-mask sum minus the new tokens, never below 0: a first
        // prefill padded on the right starts at 0) plus 0..sequence-1. Key j is visible to query i of row b when
        // j <= position(b, i) and the mask allows j. With one row (the Generator) this is the plain causal mask.
        var s = g.Node("Gather", [g.Node("Shape", ["input_ids"]), one]);
        var t = g.Node("Gather", [g.Node("Shape", ["attention_mask"]), one]);
        var axis0 = g.Initializer("axis0", [1], [0L]);
        var axis1 = g.Initializer("axis1", [1], [1L]);
        var total = g.Node("ReduceSum", ["attention_mask", axis1], n => OnnxGraph.IntAttribute(n, "keepdims", 0));
        var pastLength = options.RowAlignedCache
            ? g.Node("Max", [g.Node("Sub", [total, s]), zero])
            : g.Node("Sub", [g.Node("Mul", [total, zero]), g.Node("Sub", [s, t])]);
        var offsets = g.Node("Unsqueeze", [g.Node("Range", [zero, s, one]), axis0]);
        var queryPositions = g.Node("Add", [g.Node("Unsqueeze", [pastLength, axis1]), offsets]);
        var keys = g.Node("Range", [zero, t, one]);
        var causal = g.Node("LessOrEqual", [
            g.Node("Unsqueeze", [keys, g.Initializer("axes012", [3], [0L, 1, 2])]),
            g.Node("Unsqueeze", [queryPositions, g.Initializer("axes13", [2], [1L, 3])])]);
        var padding = g.Node("Unsqueeze", [g.Node("Equal", ["attention_mask", one]), g.Initializer("axes12", [2], [1L, 2])]);
        var allowed = g.Node("And", [causal, padding]);
        var cacheSlots = g.Node("Unsqueeze", [queryPositions, g.Initializer("axes13b", [2], [1L, 3])]);

        for (var layer = 0; layer < options.Layers; layer++)
        {
            var past = $"past_key_values.{layer}";
            g.Input($"{past}.key", OnnxGraph.FloatType, "batch_size", heads, "past_sequence_length", d);
            g.Input($"{past}.value", OnnxGraph.FloatType, "batch_size", heads, "past_sequence_length", d);
            g.Output($"present.{layer}.key", OnnxGraph.FloatType, "batch_size", heads, "total_sequence_length", d);
            g.Output($"present.{layer}.value", OnnxGraph.FloatType, "batch_size", heads, "total_sequence_length", d);

            var weight = 1f / MathF.Sqrt(h);
            var current = layer;
            string Linear(string input, string name, string projection, long[] dims, float range) =>
                WithLora(g, options, current, projection, input, g.Node("MatMul", [input, Random(g, random, $"l{current}.{name}", dims, range)]));
            string Project(string name, string projection) => g.Node("Transpose",
                [g.Node("Reshape", [Linear(x, name, projection, [h, h], weight), headShape])],
                n => OnnxGraph.IntsAttribute(n, "perm", 0, 2, 1, 3));

            var q = Project("wq", "q_proj");
            var k = Present(g, $"{past}.key", Project("wk", "k_proj"), cacheSlots, $"present.{layer}.key", options.RowAlignedCache);
            var val = Present(g, $"{past}.value", Project("wv", "v_proj"), cacheSlots, $"present.{layer}.value", options.RowAlignedCache);
            var kt = g.Node("Transpose", [k], n => OnnxGraph.IntsAttribute(n, "perm", 0, 1, 3, 2));
            var scores = g.Node("Where", [allowed, g.Node("Mul", [g.Node("MatMul", [q, kt]), scale]), masked]);
            var probs = g.Node("Softmax", [scores], n => OnnxGraph.IntAttribute(n, "axis", -1));
            var context = g.Node("Reshape", [
                g.Node("Transpose", [g.Node("MatMul", [probs, val])], n => OnnxGraph.IntsAttribute(n, "perm", 0, 2, 1, 3)),
                mergeShape]);
            x = g.Node("Add", [x, Linear(context, "wo", "o_proj", [h, h], weight)]);
            var up = g.Node("Relu", [Linear(x, "w1", "up_proj", [h, 4 * h], weight)]);
            x = g.Node("Add", [x, Linear(up, "w2", "down_proj", [4 * h, h], weight / 2)]);
        }

        var logits = g.Node("MatMul", [x, Random(g, random, "lm_head", [h, v], 0.2f / MathF.Sqrt(h))]);
        if (options.SuccessorBump != 0)
        {
            var successors = g.Node("Gather", [g.Initializer("successor", [v], Successors()), "input_ids"]);
            var bump = g.Node("OneHot", [successors, g.Initializer("depth", [], [(long)v]), g.Initializer("bump", [2], [0f, options.SuccessorBump])]);
            logits = g.Node("Add", [logits, bump]);
        }

        if (options.LogitsLora)
        {
            g.Input("lora_A", OnnxGraph.FloatType, v, "lora_rank");
            g.Input("lora_B", OnnxGraph.FloatType, "lora_rank", v);
            g.Initializer("lora_A", [v, 1], new float[v]);
            g.Initializer("lora_B", [1, v], new float[v]);
            var lora = g.Node("MatMul", [g.Node("Gather", ["lora_A", "input_ids"]), "lora_B"]);
            g.Node("Add", [logits, lora], output: "logits");
        }
        else
        {
            g.Node("Identity", [logits], output: "logits");
        }

        g.Output("logits", OnnxGraph.FloatType, "batch_size", "sequence_length", v);
        return g.ToModel();
    }

    /// <summary>
    /// The model builder's LoRA subgraph on a targeted projection: output + (input @ A) @ B, with A [in, r] and
    /// B [r, out] graph inputs whose zero defaults add nothing until an adapter overrides them.
    /// </summary>
    private static string WithLora(OnnxGraph g, TinyModelOptions options, int layer, string projection, string input, string output)
    {
        if (options.LoraTargets is not { } targets || !targets.Contains(projection))
        {
            return output;
        }

        var (inWidth, outWidth) = options.ProjectionShape(projection);
        var a = TinyModelOptions.LoraInputName(layer, projection, 'A');
        var b = TinyModelOptions.LoraInputName(layer, projection, 'B');
        g.Input(a, OnnxGraph.FloatType, inWidth, "lora_rank");
        g.Input(b, OnnxGraph.FloatType, "lora_rank", outWidth);
        g.Initializer(a, [inWidth, 1], new float[inWidth]);
        g.Initializer(b, [1, outWidth], new float[outWidth]);
        return g.Node("Add", [output, g.Node("MatMul", [g.Node("MatMul", [input, a]), b])]);
    }

    /// <summary>
    /// The present keys or values: past and new concatenated, then (row-aligned) each new entry scattered to its row's
    /// own slot, so a row's cache holds its tokens at 0..length-1 whatever the other rows' lengths.
    /// </summary>
    private static string Present(OnnxGraph g, string past, string fresh, string slots, string output, bool rowAligned)
    {
        if (!rowAligned)
        {
            return g.Node("Concat", [past, fresh], n => OnnxGraph.IntAttribute(n, "axis", 2), output: output);
        }

        var joined = g.Node("Concat", [past, fresh], n => OnnxGraph.IntAttribute(n, "axis", 2));
        var indices = g.Node("Expand", [slots, g.Node("Shape", [fresh])]);
        return g.Node("ScatterElements", [joined, indices, fresh], n => OnnxGraph.IntAttribute(n, "axis", 2), output: output);
    }

    /// <summary>Byte c (0x20..0x7D) -> c + 1, '~' -> EOS, anything else -> ' '.</summary>
    public static long[] Successors()
    {
        var successors = new long[TinyModelOptions.VocabSize];
        for (var id = 0; id < successors.Length; id++)
        {
            successors[id] = id switch
            {
                >= 0x20 and <= 0x7D => id + 1,
                0x7E => TinyModelOptions.EosTokenId,
                _ => ' ',
            };
        }

        return successors;
    }

    private static string Random(OnnxGraph g, Random random, string name, long[] dims, float range)
    {
        var values = new float[dims.Aggregate(1L, (a, b) => a * b)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1) * range;
        }

        return g.Initializer(name, dims, values);
    }
}
