using k8s.Models;
using Kaito.Api.V1Alpha1;

namespace Kaito.CrdBridge.Manifests;

/// <summary>Metadata of an object a Workspace owns: upstream's labels, the owner reference, the revision annotations.</summary>
internal static class OwnedMetadata
{
    public static V1ObjectMeta For(ManifestContext context, string name, bool withRevision = true) => new()
    {
        Name = name,
        NamespaceProperty = context.Namespace,
        Labels = context.OwnedLabels,
        Annotations = withRevision ? RevisionAnnotations(context) : null,
        OwnerReferences = OwnerReferences(context),
    };

    public static Dictionary<string, string> RevisionAnnotations(ManifestContext context) => new()
    {
        [KaitoLabels.RevisionHashAnnotation] = context.Spec.RevisionHash,
        [KaitoLabels.RevisionAnnotation] = context.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The Workspace as controller, so that deleting it deletes the object; none for a key without a UID
    /// (an offline document), because the API server rejects an owner reference without one.</summary>
    private static List<V1OwnerReference>? OwnerReferences(ManifestContext context) => context.Key.Uid is { } uid
        ?
        [
            new V1OwnerReference
            {
                ApiVersion = Workspace.KubeApiVersion,
                Kind = Workspace.KubeKind,
                Name = context.Name,
                Uid = uid,
                Controller = true,
                BlockOwnerDeletion = true,
            },
        ]
        : null;
}
