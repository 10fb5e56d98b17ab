namespace Kaito.Grains.Tests.Infrastructure;

/// <summary>
/// Two clusters (two silos, two activations of every aggregate) over the same event tables: the left one's Table
/// client carries a <see cref="FaultInjectionPolicy"/>, so a test can let the right one write first. Nodes never
/// register on their own, so aggregates stay where the test puts them.
/// </summary>
public sealed class TwoClustersFixture : IAsyncLifetime
{
    public KaitoTestCluster Left { get; private set; } = null!;

    public KaitoTestCluster Right { get; private set; } = null!;

    public FaultInjectionPolicy LeftFaults { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var connection = await AzuriteStorage.GetConnectionStringAsync();
        var prefix = AzuriteStorage.NewTablePrefix();
        LeftFaults = new FaultInjectionPolicy { TableName = prefix + "WorkspaceEvents" };
        Left = await KaitoTestCluster.StartAsync(
            configure: o => o.TableServiceClient = FaultInjectionPolicy.Client(connection, LeftFaults, sdkRetries: 3),
            tablePrefix: prefix);
        Right = await KaitoTestCluster.StartAsync(tablePrefix: prefix);
        Left.Nodes.RegistersAtOnce = _ => false;
        Right.Nodes.RegistersAtOnce = _ => false;
    }

    public async Task DisposeAsync()
    {
        await Left.DisposeAsync();
        await Right.DisposeAsync();
    }
}
