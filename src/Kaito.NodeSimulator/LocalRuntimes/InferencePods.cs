using k8s.Models;

namespace Kaito.NodeSimulator.LocalRuntimes;

/// <summary>Which pods get a runtime: a workspace's inference pods (its Deployment's or StatefulSet's), not tuning Jobs.</summary>
internal static class InferencePods
{
    public const string WorkspaceLabel = "kaito.sh/workspace";

    public static bool Serve(V1Pod pod) =>
        pod.Metadata.Labels?.ContainsKey(WorkspaceLabel) == true
        && pod.Metadata.OwnerReferences?.Any(o => o.Kind is "ReplicaSet" or "StatefulSet") == true;

    /// <summary>
    /// The model id the runtime reports (<c>/v1/models</c>): the preset's name from the model image
    /// <c>&lt;registry&gt;/kaito-&lt;preset&gt;:&lt;tag&gt;</c>, else the image's name, else the workspace's.
    /// </summary>
    public static string ModelName(V1Pod pod)
    {
        var image = pod.Spec.Containers.FirstOrDefault()?.Image;
        if (string.IsNullOrEmpty(image))
        {
            return pod.Metadata.Labels?.TryGetValue(WorkspaceLabel, out var workspace) == true ? workspace : pod.Metadata.Name;
        }

        var name = image[(image.LastIndexOf('/') + 1)..];
        name = name.Split('@')[0].Split(':')[0];
        return name.StartsWith("kaito-", StringComparison.Ordinal) && name.Length > "kaito-".Length ? name["kaito-".Length..] : name;
    }
}
