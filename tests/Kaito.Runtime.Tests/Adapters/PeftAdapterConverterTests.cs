using Kaito.Runtime.Adapters;
using Kaito.Runtime.TestModel;
using Kaito.Runtime.Tests.Support;

namespace Kaito.Runtime.Tests.Adapters;

public sealed class PeftAdapterConverterTests
{
    private static readonly ModelLoraInputs Inputs = ModelLoraInputs.Read(TestModelFiles.LoraModelDirectory);

    [Theory]
    [InlineData("F32")]
    [InlineData("F16")]
    [InlineData("BF16")]
    public void Tensors_are_transposed_renamed_and_b_is_scaled_by_alpha_over_r(string dataType)
    {
        var tensors = PeftAdapterSamples.Tensors(rank: 4, seed: 5, dataType, projections: ["up_proj"]);
        var converted = PeftAdapterConverter.Convert(new PeftAdapterConfig(4, 6, false, ["up_proj"]), SafetensorsFile.Read(PeftAdapterWriter.Safetensors(tensors)), Inputs);

        var a = converted.Single(p => p.Name == "model.layers.1.mlp.up_proj.lora_A.MatMul.weight");
        Assert.Equal([16L, 4], a.Dims);
        var peftA = tensors.Single(t => t.Name == "base_model.model.model.layers.1.mlp.up_proj.lora_A.weight").Values; // [4, 16]
        var b = converted.Single(p => p.Name == "model.layers.1.mlp.up_proj.lora_B.MatMul.weight");
        Assert.Equal([4L, 64], b.Dims);
        var peftB = tensors.Single(t => t.Name == "base_model.model.model.layers.1.mlp.up_proj.lora_B.weight").Values; // [64, 4]
        var aValues = TestModelFiles.ToFloats(a.Data);
        var bValues = TestModelFiles.ToFloats(b.Data);
        for (var r = 0; r < 4; r++)
        {
            for (var i = 0; i < 16; i++)
            {
                Assert.Equal(peftA[(r * 16) + i], aValues[(i * 4) + r]);
            }

            for (var o = 0; o < 64; o++)
            {
                Assert.Equal(peftB[(o * 4) + r] * 1.5f, bValues[(r * 64) + o]);
            }
        }
    }

    [Fact]
    public void Rs_lora_scales_by_alpha_over_the_square_root_of_r() =>
        Assert.Equal(2.0, new PeftAdapterConfig(16, 8, true, []).Scale);

    [Theory]
    [InlineData("base_model.model.model.layers.3.self_attn.q_proj.lora_A.weight", "model.layers.3.attn.q_proj.lora_A.MatMul.weight")]
    [InlineData("base_model.model.model.layers.12.mlp.down_proj.lora_B.weight", "model.layers.12.mlp.down_proj.lora_B.MatMul.weight")]
    [InlineData("base_model.model.model.layers.0.self_attn.o_proj.lora_B.default.weight", "model.layers.0.attn.o_proj.lora_B.MatMul.weight")]
    [InlineData("base_model.model.transformer.h.2.self_attention.query_key_value.lora_A.weight", "model.layers.2.attn.query_key_value.lora_A.MatMul.weight")]
    public void Peft_names_map_to_the_model_builder_names(string peft, string model) =>
        Assert.Equal(model, PeftTensorNames.ToModelInput(peft)?.InputName);

    [Theory]
    [InlineData("base_model.model.lm_head.weight")]
    [InlineData("base_model.model.model.embed_tokens.lora_embedding_A")]
    public void Names_that_are_not_lora_weights_of_a_layer_map_to_nothing(string peft) =>
        Assert.Null(PeftTensorNames.ToModelInput(peft));

    [Fact]
    public void The_lora_inputs_are_read_from_the_onnx_file_with_their_shapes()
    {
        var input = Inputs.Find(TinyModelOptions.LoraInputName(0, "down_proj", 'A'));
        Assert.NotNull(input);
        Assert.Equal(1, input.ElementType);
        Assert.Equal("[64, lora_rank]", input.ShapeText);
        Assert.Equal(24, Inputs.Count);
    }
}
