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
/// <param name="LogitsLora">Add the graph inputs lora_A [vocab, r] and lora_B [r, vocab] on the logits.</param>
/// <param name="LoraTargets">
/// Projections that get LoRA inputs in every layer, named as the official model builder names its LoRA MatMul
/// weights (see <see cref="LoraInputName"/>): q_proj, k_proj, v_proj, o_proj (attention), up_proj, down_proj (MLP).
/// </param>
/// <param name="RowAlignedCache">
/// Write each row's new keys and values right after that row's own past (its past length is its attention-mask sum
/// minus the new tokens), as the GroupQueryAttention of the official model builder's models does. GenAI's static
/// engine pads shorter rows on the right and describes each row's cache with the attention mask, so only this layout
/// gives every row of a mixed-length batch its own text. False: the plain Concat of past and new (a shorter row's new
/// entries land after the longer rows' padding, so batched text diverges from single-request text).
/// </param>
public sealed record TinyModelOptions(
    int Hidden = 16,
    int Heads = 2,
    int Layers = 1,
    int ContextLength = 1024,
    float SuccessorBump = 10f,
    int Seed = 42,
    bool LogitsLora = true,
    IReadOnlyList<string>? LoraTargets = null,
    bool RowAlignedCache = true)
{
    public const int VocabSize = 265;
    public const int EosTokenId = 256;
    public static readonly IReadOnlyList<string> AttentionProjections = ["q_proj", "k_proj", "v_proj", "o_proj"];
    public static readonly IReadOnlyList<string> MlpProjections = ["up_proj", "down_proj"];

    public int HeadSize => Hidden / Heads;

    /// <summary>
    /// The model builder's name for a LoRA weight: node /model/layers.{layer}/{attn|mlp}/{proj}/lora_{A|B}/MatMul,
    /// weight model.layers.{layer}.{attn|mlp}.{proj}.lora_{A|B}.MatMul.weight (A: [in, r], B: [r, out]).
    /// </summary>
    public static string LoraInputName(int layer, string projection, char matrix) =>
        $"model.layers.{layer}.{(MlpProjections.Contains(projection) ? "mlp" : "attn")}.{projection}.lora_{matrix}.MatMul.weight";

    /// <summary>Input and output width of a targetable projection.</summary>
    public (int In, int Out) ProjectionShape(string projection) => projection switch
    {
        "up_proj" => (Hidden, 4 * Hidden),
        "down_proj" => (4 * Hidden, Hidden),
        _ when AttentionProjections.Contains(projection) => (Hidden, Hidden),
        _ => throw new ArgumentException($"No projection {projection} in the tiny model.", nameof(projection)),
    };
}
