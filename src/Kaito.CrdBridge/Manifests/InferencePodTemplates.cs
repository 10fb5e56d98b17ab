using k8s.Models;

namespace Kaito.CrdBridge.Manifests;

/// <summary>The inference pod: a preset's, built by the modifier pipeline, or the user's <c>inference.template</c>,
/// which replaces the preset's pod and only gets the workspace's labels, nodes and tolerations (upstream).</summary>
internal static class InferencePodTemplates
{
    private static readonly PodSpecModifier[] PresetPipeline =
    [
        ModelServerContainer.Add,
        ModelServerContainer.AddDistributedEnvironment,
        GpuResources.Request,
        SharedMemory.Mount,
        AdapterInitContainers.Add,
        ModelImages.AddPresetPullSecrets,
        NodePlacement.RequireWorkspaceNodes,
        NodePlacement.TolerateGpuTaints,
    ];

    private static readonly PodSpecModifier[] TemplatePipeline =
    [
        NodePlacement.RequireWorkspaceNodes,
        NodePlacement.TolerateGpuTaints,
    ];

    /// <param name="spread">How replicas spread over nodes: preferred for a Deployment, required for a StatefulSet.</param>
    public static V1PodTemplateSpec Build(ManifestContext context, PodSpecModifier spread)
    {
        var userTemplate = context.Workspace.Inference?.Template;
        var template = userTemplate is null ? new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [] } } : KubeCopy.Of(userTemplate);
        template.Metadata ??= new V1ObjectMeta();
        template.Metadata.Labels ??= new Dictionary<string, string>();
        foreach (var (key, value) in context.OwnedLabels)
        {
            template.Metadata.Labels[key] = value;
        }

        template.Spec ??= new V1PodSpec { Containers = [] };
        if (userTemplate is not null)
        {
            // Upstream overwrites the template's affinity with the workspace's.
            template.Spec.Affinity = null;
        }

        PodSpecModifier[] pipeline = userTemplate is null ? [.. PresetPipeline, spread] : TemplatePipeline;
        foreach (var modify in pipeline)
        {
            modify(context, template.Spec);
        }

        return template;
    }
}
