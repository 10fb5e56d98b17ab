using Kaito.Runtime.Serving;
using Kaito.Runtime.TestModel;
using Kaito.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kaito.Runtime.Tests.Serving;

public sealed class KvCacheBudgetTests
{
    [Theory]
    [InlineData("2GiB", 2L << 30)]
    [InlineData("2 Gi", 2L << 30)]
    [InlineData("1.5MiB", 3L << 19)]
    [InlineData("8G", 8_000_000_000L)]
    [InlineData("512MB", 512_000_000L)]
    [InlineData("4096", 4096L)]
    [InlineData("100B", 100L)]
    public void Sizes_parse_with_binary_and_decimal_units(string text, long bytes)
    {
        Assert.True(ByteSize.TryParse(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("2 GiBs")]
    [InlineData("-1GiB")]
    [InlineData("")]
    public void Nonsense_sizes_do_not_parse(string text) => Assert.False(ByteSize.TryParse(text, out _));

    [Fact]
    public void The_layout_comes_from_genai_config_and_the_past_key_input_type_in_model_onnx()
    {
        var layout = KvCacheLayout.Read(TestModelFiles.ModelDirectory);

        Assert.Equal((1, 2, 8, 4), (layout.Layers, layout.KvHeads, layout.HeadSize, layout.ElementBytes));
        Assert.Equal(2 * 1 * 2 * 8 * 4, layout.BytesPerToken);
        Assert.Contains("past_key_values.0.key is ONNX type 1", layout.ElementSource, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bigger_model_costs_more_per_token()
    {
        var directory = TestModelFiles.NewScratchDirectory();
        TinyModelBuilder.Write(directory, new TinyModelOptions(Hidden: 32, Heads: 4, Layers: 3));

        Assert.Equal(2 * 3 * 4 * 8 * 4, KvCacheLayout.Read(directory).BytesPerToken);
    }

    [Fact]
    public void Without_model_onnx_the_element_is_taken_as_float32_and_said_so()
    {
        var directory = TestModelFiles.NewScratchDirectory();
        Directory.CreateDirectory(directory);
        File.Copy(Path.Combine(TestModelFiles.ModelDirectory, "genai_config.json"), Path.Combine(directory, "genai_config.json"));

        var layout = KvCacheLayout.Read(directory);
        Assert.Equal(4, layout.ElementBytes);
        Assert.Contains("assumed float32", layout.ElementSource, StringComparison.Ordinal);
    }

    [Fact]
    public void The_budget_is_the_configured_memory_in_tokens_and_defaults_to_a_share_of_available_memory()
    {
        var configured = Budget("1MiB");
        Assert.Equal((1L << 20, 128L, 8192L), (configured.MemoryBytes, configured.BytesPerToken, configured.Tokens));

        var fallback = Budget(null);
        Assert.InRange(fallback.MemoryBytes, 1, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2);
    }

    [Fact]
    public void An_invalid_memory_size_stops_start_up_with_its_name()
    {
        var result = new RuntimeOptionsValidator().Validate(null, new RuntimeOptions { KvCacheMemory = "lots" });
        Assert.True(result.Failed);
        Assert.Contains("Runtime:KvCacheMemory must be a positive size such as 2GiB, 512MiB, 8G or a number of bytes, got 'lots'.", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(new RuntimeOptionsValidator().Validate(null, new RuntimeOptions { KvCacheMemory = "0" }).Failed);
    }

    private static KvCacheBudget Budget(string? memory) => new(
        Options.Create(new RuntimeOptions { ModelDirectory = TestModelFiles.ModelDirectory, KvCacheMemory = memory }),
        NullLogger<KvCacheBudget>.Instance);
}
