namespace Kaito.NodeSimulator.Tests;

[CollectionDefinition(Name)]
public sealed class SimulatedClusterCollection : ICollectionFixture<SimulatedClusterFixture>
{
    public const string Name = "simulated-cluster";
}
