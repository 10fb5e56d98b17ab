using Kaito.Runtime.Generation.Engine;

namespace Kaito.Runtime.Tests.Generation.Engine;

/// <summary>The mode follows the model: GenAI runs dynamic batching only on models configured (built) for it.</summary>
public sealed class BatchingPlanTests
{
    [Theory]
    [InlineData(BatchingMode.Auto, true, BatchingMode.Dynamic, 16)]
    [InlineData(BatchingMode.Auto, false, BatchingMode.Static, 4)]
    [InlineData(BatchingMode.Dynamic, false, BatchingMode.Static, 4)]
    [InlineData(BatchingMode.Static, true, BatchingMode.Dynamic, 16)]
    [InlineData(BatchingMode.Static, false, BatchingMode.Static, 4)]
    [InlineData(BatchingMode.Off, true, BatchingMode.Off, 1)]
    public void The_mode_and_batch_size_follow_the_setting_and_the_model(BatchingMode requested, bool modelHasDynamic, BatchingMode mode, int size)
    {
        var plan = BatchingPlan.Choose(requested, 16, modelHasDynamic);
        Assert.Equal((mode, size), (plan.Mode, plan.MaxBatchSize));
        Assert.False(string.IsNullOrEmpty(plan.Reason));
    }

    [Fact]
    public void A_max_batch_size_below_four_lowers_the_static_batch() =>
        Assert.Equal(2, BatchingPlan.Choose(BatchingMode.Auto, 2, false).MaxBatchSize);
}
