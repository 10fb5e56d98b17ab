using Kaito.Runtime.TestModel;

namespace Kaito.Runtime.Tests.Support;

/// <summary>
/// Tiny models with random weights and no successor bump: the next token depends on the whole context, so any mixing
/// of rows, padding or cache slots in a batch shows in the text (a model whose next token is nearly fixed hides it).
/// </summary>
public static class RandomModelFiles
{
    private static readonly Lazy<string> RowAligned = new(() => Write(rowAligned: true));
    private static readonly Lazy<string> Concatenated = new(() => Write(rowAligned: false));

    /// <summary>The cache laid out per row, as the official builder's GroupQueryAttention models do.</summary>
    public static string RowAlignedDirectory => RowAligned.Value;

    /// <summary>The plain Concat cache, which GenAI's static engine cannot batch across prompt lengths.</summary>
    public static string ConcatenatedDirectory => Concatenated.Value;

    /// <summary>Prompts of different token lengths (1 to 29 tokens).</summary>
    public static readonly string[] Prompts =
    [
        "a",
        "Once upon a time",
        "xyz 123",
        "The quick brown fox jumps over the lazy dog",
        "Q",
        "hello there, general",
        "In the end it was all fine.",
        "0123456789",
    ];

    private static string Write(bool rowAligned) => TinyModelBuilder.Write(
        Path.Combine(TestModelFiles.NewScratchDirectory(), rowAligned ? "random-row-aligned" : "random-concatenated"),
        new TinyModelOptions(Hidden: 32, Heads: 2, Layers: 2, ContextLength: 256, SuccessorBump: 0, Seed: 7, RowAlignedCache: rowAligned));
}
