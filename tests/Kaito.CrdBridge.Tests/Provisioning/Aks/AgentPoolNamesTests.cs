using Kaito.CrdBridge.Provisioning.Aks;

namespace Kaito.CrdBridge.Tests.Provisioning.Aks;

public sealed class AgentPoolNamesTests
{
    [Fact]
    public void A_machine_name_that_AKS_accepts_is_the_pool_name() => Assert.Equal("ws0a1b2c3d4", AgentPoolNames.For("ws0a1b2c3d4"));

    [Theory]
    [InlineData("Workspace-Phi-3-Machine")]
    [InlineData("9-starts-with-a-digit")]
    [InlineData("a-very-long-machine-name-indeed")]
    public void Any_other_name_folds_into_a_stable_valid_AKS_name(string machine)
    {
        var pool = AgentPoolNames.For(machine);

        Assert.True(AgentPoolNames.IsValid(pool), pool);
        Assert.True(pool.Length <= AgentPoolNames.MaxLength);
        Assert.Equal(pool, AgentPoolNames.For(machine));
        Assert.NotEqual(pool, AgentPoolNames.For(machine + "x"));
    }
}
