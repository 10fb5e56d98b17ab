namespace Kaito.Grains.Ports;

/// <summary>One Kubernetes object by kind, namespace and name, e.g. <c>Deployment default/phi-3</c>.</summary>
public sealed record KubernetesObjectReference(string Kind, string Namespace, string Name)
{
    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}
