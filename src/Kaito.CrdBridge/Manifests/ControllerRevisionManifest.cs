using System.Text.Json;
using k8s.Models;

namespace Kaito.CrdBridge.Manifests;

/// <summary>Upstream's record of a spec revision: <c>&lt;ws&gt;-&lt;hash[:5]&gt;</c> holding the spec JSON.</summary>
internal static class ControllerRevisionManifest
{
    public const int HistoryLimit = 10;

    public static string NameFor(ManifestContext context) => $"{context.Name}-{context.Spec.ShortHash}";

    public static V1ControllerRevision Build(ManifestContext context)
    {
        using var data = JsonDocument.Parse(context.Spec.SpecJson);
        return new V1ControllerRevision
        {
            ApiVersion = "apps/v1",
            Kind = "ControllerRevision",
            Metadata = OwnedMetadata.For(context, NameFor(context)),
            Revision = context.Revision,
            Data = data.RootElement.Clone(),
        };
    }
}
