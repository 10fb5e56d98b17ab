using Kaito.Grains.Hosting;

namespace Kaito.Grains.Tests.Machines;

public sealed class OptionsValidationTests
{
    [Fact]
    public void Defaults_need_only_a_storage_connection()
    {
        Assert.True(new KaitoGrainsOptionsValidator().Validate(null, new KaitoGrainsOptions { ConnectionString = "UseDevelopmentStorage=true" }).Succeeded);
        Assert.True(new MachineProvisioningOptionsValidator().Validate(null, new MachineProvisioningOptions()).Succeeded);
        Assert.Equal(TimeSpan.FromSeconds(240), new MachineProvisioningOptions().NodeRegistrationTimeout);
    }

    [Fact]
    public void Bad_settings_are_reported_together()
    {
        var result = new KaitoGrainsOptionsValidator().Validate(null, new KaitoGrainsOptions { TablePrefix = "9-bad", SnapshotEvery = 0 });
        var machines = new MachineProvisioningOptionsValidator().Validate(null, new MachineProvisioningOptions { MaxAttempts = 0, JitterRatio = 2 });

        Assert.False(result.Succeeded);
        Assert.Equal(3, result.Failures!.Count());
        Assert.False(machines.Succeeded);
        Assert.Equal(2, machines.Failures!.Count());
    }
}
