using Kaito.Runtime.Adapters;
using Kaito.Runtime.Tests.Support;

namespace Kaito.Runtime.Tests.Adapters;

public sealed class LoraCombinerTests
{
    [Fact]
    public void Scaling_multiplies_only_lora_B()
    {
        var scaled = LoraCombiner.Scale(TestModelFiles.ForceByte('X', 30), 0.5);
        Assert.All(TestModelFiles.ToFloats(scaled.Single(p => p.Name == "lora_A").Data), a => Assert.Equal(1f, a));
        Assert.Equal(15f, TestModelFiles.ToFloats(scaled.Single(p => p.Name == "lora_B").Data)['X']);
    }

    [Fact]
    public void Combining_concatenates_the_rank_so_the_product_is_the_weighted_sum()
    {
        var combined = LoraCombiner.Combine([(TestModelFiles.ForceByte('X', 30), 1.0), (TestModelFiles.ForceByte('Q', 40), 0.25)]);
        var a = combined.Single(p => p.Name == "lora_A");
        var b = combined.Single(p => p.Name == "lora_B");
        Assert.Equal(new long[] { 265, 2 }, a.Dims);
        Assert.Equal(new long[] { 2, 265 }, b.Dims);
        var av = TestModelFiles.ToFloats(a.Data);
        var bv = TestModelFiles.ToFloats(b.Data);
        float Delta(int row, int column) => (av[row * 2] * bv[column]) + (av[(row * 2) + 1] * bv[265 + column]);
        Assert.Equal(30f, Delta('a', 'X'));
        Assert.Equal(10f, Delta('a', 'Q'));
        Assert.Equal(0f, Delta('a', 'b'));
    }

    [Fact]
    public void Adapter_files_round_trip()
    {
        var parameters = TestModelFiles.ForceByte('X', 30);
        var read = OnnxAdapterFile.Read(OnnxAdapterFile.Write(parameters));
        Assert.Equal(parameters.Select(p => p.Name), read.Select(p => p.Name));
        Assert.Equal(parameters[1].Dims, read[1].Dims);
        Assert.Equal(parameters[1].Data, read[1].Data);
    }

    [Theory]
    [InlineData(null, 1.0)]
    [InlineData("0", 0.0)]
    [InlineData("0.25", 0.25)]
    [InlineData("3", 1.0)]
    public void Strength_comes_from_the_env_var_named_like_the_adapter_clamped_to_0_1(string? value, double expected)
    {
        var strength = AdapterCatalog.ReadStrength("force-x", new Dictionary<string, double>(), name => name == "force-x" ? value : null);
        Assert.Equal(expected, strength);
    }

    [Fact]
    public void A_strength_that_is_not_a_number_fails_loudly()
    {
        Assert.Throws<FormatException>(() => AdapterCatalog.ReadStrength("a", new Dictionary<string, double>(), _ => "strong"));
    }
}
