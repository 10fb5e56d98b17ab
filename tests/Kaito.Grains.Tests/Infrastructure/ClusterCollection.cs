namespace Kaito.Grains.Tests.Infrastructure;

/// <summary>The tests that share one <see cref="ClusterFixture"/>; collections run one after another (xunit.runner.json).</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
