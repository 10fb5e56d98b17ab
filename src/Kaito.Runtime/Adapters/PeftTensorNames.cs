using System.Globalization;
using System.Text.RegularExpressions;

namespace Kaito.Runtime.Adapters;

/// <summary>
/// Maps a PEFT tensor name to the LoRA input name of a model exported by ONNX Runtime GenAI's model builder.
/// The builder names every LoRA MatMul after its node, /model/layers.{i}/{attn|mlp}/{proj}/lora_{A|B}/MatMul, and
/// its weight model.layers.{i}.{attn|mlp}.{proj}.lora_{A|B}.MatMul.weight; a model whose LoRA weights are graph
/// inputs (so that adapters can be swapped at run time) keeps those names. So
/// <c>base_model.model.model.layers.3.self_attn.q_proj.lora_A.weight</c> becomes
/// <c>model.layers.3.attn.q_proj.lora_A.MatMul.weight</c> and <c>...mlp.down_proj.lora_B.weight</c> becomes
/// <c>model.layers.3.mlp.down_proj.lora_B.MatMul.weight</c>. The attention block is "attn" whatever the Hugging Face
/// module calls it (self_attn, attention, self_attention); the projection keeps its name.
/// </summary>
public static partial class PeftTensorNames
{
    /// <summary>The model input name and the matrix ('A' or 'B'), or null when the name is not a LoRA A/B weight of a decoder layer.</summary>
    public static (string InputName, char Matrix)? ToModelInput(string peftName)
    {
        var match = PeftName().Match(peftName);
        if (!match.Success)
        {
            return null;
        }

        var layer = int.Parse(match.Groups["layer"].Value, CultureInfo.InvariantCulture);
        var block = match.Groups["block"].Value == "mlp" ? "mlp" : "attn";
        var matrix = match.Groups["matrix"].Value[0];
        return ($"model.layers.{layer}.{block}.{match.Groups["proj"].Value}.lora_{matrix}.MatMul.weight", matrix);
    }

    // [base_model.model.]<anything>.layers|h|blocks.<i>.<block>.<proj>.lora_A|lora_B[.<adapter name>].weight
    [GeneratedRegex(@"^(?:base_model\.model\.)?(?:.*\.)?(?:layers|h|blocks)\.(?<layer>\d+)\.(?<block>self_attn|attn|attention|self_attention|mlp)\.(?<proj>[A-Za-z0-9_]+)\.lora_(?<matrix>A|B)(?:\.[A-Za-z0-9_-]+)?\.weight$")]
    private static partial Regex PeftName();
}
