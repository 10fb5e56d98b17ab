using Kaito.Grains.Ports;

namespace Kaito.CrdBridge.Objects;

/// <summary>Where the API server serves a kind: group (empty for core), version and plural.</summary>
internal sealed record KubeResource(string Group, string Version, string Plural)
{
    public static readonly KubeResource ConfigMap = new("", "v1", "configmaps");

    public static KubeResource For(string kind) => kind switch
    {
        KubernetesKinds.ControllerRevision => new("apps", "v1", "controllerrevisions"),
        KubernetesKinds.Service or KubernetesKinds.HeadlessService => new("", "v1", "services"),
        KubernetesKinds.Deployment => new("apps", "v1", "deployments"),
        KubernetesKinds.StatefulSet => new("apps", "v1", "statefulsets"),
        KubernetesKinds.Job => new("batch", "v1", "jobs"),
        _ => throw new ArgumentException($"Kaito does not manage objects of kind {kind}", nameof(kind)),
    };
}
