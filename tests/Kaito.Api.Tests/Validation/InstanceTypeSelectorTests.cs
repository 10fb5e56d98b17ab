using k8s.Models;
using Kaito.Api.Catalog;
using Kaito.Api.Serialization;
using Kaito.Api.Validation;

namespace Kaito.Api.Tests.Validation;

public sealed class InstanceTypeSelectorTests
{
    private static readonly KaitoCatalog Shipped = KaitoCatalog.LoadEmbedded();

    [Theory]
    [InlineData("phi-3-mini-4k-instruct", "Standard_NV18ads_A10_v5")] // 9Gi: the 1-GPU 12Gi A10 slice is the smallest fit
    [InlineData("phi-3-medium-4k-instruct", "Standard_NC24ads_A100_v4")] // 28Gi on one GPU
    [InlineData("falcon-40b", "Standard_NC48ads_A100_v4")] // 2 GPUs, 90Gi
    [InlineData("llama-2-70b", "Standard_ND40rs_v2")] // 8 GPUs, 152Gi, 19Gi each: 8 x 32Gi V100
    public void Without_prices_the_fewest_gpus_and_least_memory_that_fit_win(string preset, string expected)
    {
        Assert.True(Shipped.Presets.TryGet(preset, out var model));

        var decision = InstanceTypeSelector.Choose(GpuDemand.ForInference(model), 1, Shipped.Skus);

        Assert.NotNull(decision);
        Assert.Equal(expected, decision.InstanceType);
        Assert.Contains("no prices are configured", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void With_prices_the_cheapest_fitting_sku_wins_even_when_bigger()
    {
        var skus = new SkuCatalog(
        [
            new GpuSku("small", "azure", 1, new ResourceQuantity("16Gi"), "T4", 3.0m),
            new GpuSku("big", "azure", 1, new ResourceQuantity("80Gi"), "A100", 2.5m),
            new GpuSku("too-small", "azure", 1, new ResourceQuantity("8Gi"), "A10", 0.1m),
            new GpuSku("unpriced", "azure", 1, new ResourceQuantity("24Gi"), "A10", null),
        ]);

        var decision = InstanceTypeSelector.Choose(new GpuDemand("p", 1, 0, 9m * 1024 * 1024 * 1024), 1, skus);

        Assert.Equal("big", decision?.InstanceType);
        Assert.Contains("cheapest", decision!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Ties_break_by_name_so_the_choice_is_deterministic()
    {
        var skus = new SkuCatalog(
        [
            new GpuSku("b-sku", "azure", 1, new ResourceQuantity("16Gi"), "T4", null),
            new GpuSku("a-sku", "azure", 1, new ResourceQuantity("16Gi"), "T4", null),
        ]);

        Assert.Equal("a-sku", InstanceTypeSelector.Choose(new GpuDemand("p", 1, 0, 1), 1, skus)?.InstanceType);
    }

    [Fact]
    public void Count_spreads_the_demand_over_nodes()
    {
        Assert.True(Shipped.Presets.TryGet("llama-2-13b", out var model));

        var decision = InstanceTypeSelector.Choose(GpuDemand.ForInference(model), 2, Shipped.Skus);

        Assert.Equal("Standard_NC16as_T4_v3", decision?.InstanceType); // 2 nodes x 1 x 16Gi covers 2 GPUs, 15Gi each; ordinal name breaks the 16Gi tie
    }

    [Fact]
    public void Validation_reports_the_choice_and_why_when_instance_type_is_omitted()
    {
        var ws = WorkspaceSerializer.Read(File.ReadAllText(RepoPaths.Of("examples", "inference-phi-3.yaml")));
        ws.Resource!.InstanceType = null;

        var result = new WorkspaceValidator(Shipped).ValidateCreate(ws);

        Assert.True(result.IsValid);
        Assert.Equal("Standard_NV18ads_A10_v5", result.InstanceType?.InstanceType);
        Assert.Contains("phi-3-mini-4k-instruct", result.InstanceType!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_fits_is_an_error_naming_the_field()
    {
        var skus = new SkuCatalog([new GpuSku("tiny", "azure", 1, new ResourceQuantity("4Gi"), "A10", null)]);
        var ws = WorkspaceSerializer.Read(File.ReadAllText(RepoPaths.Of("examples", "inference-phi-3.yaml")));
        ws.Resource!.InstanceType = null;

        var result = new WorkspaceValidator(new KaitoCatalog(Shipped.Presets, skus)).ValidateCreate(ws);

        var error = Assert.Single(result.Errors);
        Assert.Equal("resource.instanceType", error.Field);
        Assert.StartsWith("Required value: no catalog SKU fits preset phi-3-mini-4k-instruct", error.Message, StringComparison.Ordinal);
    }
}
