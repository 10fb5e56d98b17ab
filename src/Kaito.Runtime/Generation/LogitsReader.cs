using Microsoft.ML.OnnxRuntimeGenAI;

namespace Kaito.Runtime.Generation;

/// <summary>
/// Log probabilities from the model's raw logits (before temperature, top-p or guidance): the "logits" output of the
/// step that produced the token, its last position (the first step holds one row per prompt token).
/// </summary>
public static class LogitsReader
{
    public static TokenLogprob Read(Generator generator, Tokenizer tokenizer, int token, int top)
    {
        using var logits = generator.GetOutput("logits");
        var shape = logits.Shape();
        var vocab = (int)shape[^1];
        var row = Row(logits, vocab);
        var max = float.NegativeInfinity;
        foreach (var value in row)
        {
            max = Math.Max(max, value);
        }

        double sum = 0;
        foreach (var value in row)
        {
            sum += Math.Exp(value - max);
        }

        var logSum = max + (float)Math.Log(sum);
        var alternatives = new List<TopLogprob>(top);
        if (top > 0)
        {
            foreach (var id in Enumerable.Range(0, vocab).OrderByDescending(i => row[i]).Take(top))
            {
                alternatives.Add(new TopLogprob(id, Decode(tokenizer, id), row[id] - logSum));
            }
        }

        return new TokenLogprob(token, Decode(tokenizer, token), row[token] - logSum, alternatives);
    }

    private static float[] Row(Tensor logits, int vocab)
    {
        var count = (int)logits.NumElements();
        return logits.Type() switch
        {
            ElementType.float32 => logits.GetData<float>()[(count - vocab)..].ToArray(),
            ElementType.float16 => [.. logits.GetData<Half>()[(count - vocab)..].ToArray().Select(h => (float)h)],
            var other => throw new NotSupportedException($"logprobs need float32 or float16 logits; this model's are {other}."),
        };
    }

    private static string Decode(Tokenizer tokenizer, int id) => tokenizer.Decode([id]);
}
