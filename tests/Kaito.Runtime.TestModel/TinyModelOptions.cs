namespace Kaito.Runtime.TestModel;

/// <summary>Shape and behaviour of the tiny decoder model.</summary>
/// <param name="Hidden">Hidden size; head size is Hidden / Heads.</param>
/// <param name="Heads">Attention heads (also key/value heads).</param>
/// <param name="Layers">Decoder layers.</param>
/// <param name="ContextLength">Position table size and the context length written to genai_config.json.</param>
/// <param name="SuccessorBump">
/// Added to the logit of the successor byte of each input token, so greedy search after byte c gives c + 1
/// (0x20..0x7D), '~' gives EOS and anything else a space. 0 gives a purely random model.
/// </param>
/// <param name="Seed">Seed of the random weights.</param>
public sealed record TinyModelOptions(
    int Hidden = 16,
    int Heads = 2,
    int Layers = 1,
    int ContextLength = 1024,
    float SuccessorBump = 10f,
    int Seed = 42)
{
    public const int VocabSize = 265;
    public const int EosTokenId = 256;
    public int HeadSize => Hidden / Heads;
}
