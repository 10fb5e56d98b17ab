using k8s;

namespace Kaito.CrdBridge.Manifests;

/// <summary>Deep copies of the user's objects (a pod template, a volume) so that building never changes the spec.</summary>
internal static class KubeCopy
{
    public static T Of<T>(T value) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));
}
