namespace Kaito.Grains.Tests.Infrastructure;

/// <summary>One cluster shared by the tests of a collection; each test uses its own Workspace names.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public KaitoTestCluster Kaito { get; private set; } = null!;

    public async Task InitializeAsync() => Kaito = await KaitoTestCluster.StartAsync(configureMachines: KaitoTestCluster.FastMachines);

    public async Task DisposeAsync() => await Kaito.DisposeAsync();
}
