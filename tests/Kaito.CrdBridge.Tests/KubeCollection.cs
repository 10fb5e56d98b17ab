namespace Kaito.CrdBridge.Tests;

[CollectionDefinition(Name)]
public sealed class KubeCollection : ICollectionFixture<KubeApiServerFixture>
{
    public const string Name = "kube-apiserver";
}
