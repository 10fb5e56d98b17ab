using k8s.Models;
using Kaito.Api.V1Alpha1;

namespace Kaito.CrdBridge.Manifests;

/// <summary>Which image runs a preset: <c>&lt;registry&gt;/kaito-&lt;preset&gt;:&lt;tag&gt;</c> (deploy/images/model), or the
/// user's own for a private preset.</summary>
internal static class ModelImages
{
    public static string Inference(ManifestContext context)
    {
        var preset = context.Workspace.Inference?.Preset;
        return preset is { EffectiveAccessMode: AccessModes.Private, PresetOptions.Image: { Length: > 0 } own } ? own : Public(context);
    }

    public static string Public(ManifestContext context)
    {
        var preset = context.Preset ?? throw new ManifestException($"Workspace {context.Key.ObjectName} names no preset");
        return $"{context.Options.Registry.TrimEnd('/')}/{preset.Image}:{context.Options.ImageTag ?? preset.Tag}";
    }

    /// <summary>The private preset's pull secrets.</summary>
    public static void AddPresetPullSecrets(ManifestContext context, V1PodSpec pod)
    {
        var preset = context.Workspace.Inference?.Preset;
        if (preset?.EffectiveAccessMode == AccessModes.Private)
        {
            AddPullSecrets(pod, preset.PresetOptions?.ImagePullSecrets);
        }
    }

    public static void AddPullSecrets(V1PodSpec pod, IEnumerable<string>? names)
    {
        foreach (var name in names ?? [])
        {
            pod.ImagePullSecrets ??= [];
            if (!pod.ImagePullSecrets.Any(s => s.Name == name))
            {
                pod.ImagePullSecrets.Add(new V1LocalObjectReference { Name = name });
            }
        }
    }
}
