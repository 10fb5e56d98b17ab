using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Kaito.Api.V1Alpha1;

/// <summary>
/// kaito.sh/v1alpha1 Workspace. As upstream, <c>resource</c>, <c>inference</c> and <c>tuning</c> sit at the top level,
/// not under <c>spec</c>, so users' manifests apply unchanged.
/// </summary>
[SchemaDescription("Workspace is the Schema for the workspaces API: one model deployment or one tuning job and the GPU nodes it runs on.")]
public sealed class Workspace : IKubernetesObject<V1ObjectMeta>
{
    public const string KubeGroup = "kaito.sh";
    public const string KubeVersion = "v1alpha1";
    public const string KubeKind = "Workspace";
    public const string KubePlural = "workspaces";
    public const string KubeSingular = "workspace";
    public const string KubeApiVersion = KubeGroup + "/" + KubeVersion;

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = KubeApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("resource")]
    [SchemaDescription("The GPU nodes the workload runs on.")]
    public ResourceSpec? Resource { get; set; }

    [JsonPropertyName("inference")]
    [SchemaDescription("Serve a model. Exactly one of inference and tuning is set.")]
    public InferenceSpec? Inference { get; set; }

    [JsonPropertyName("tuning")]
    [SchemaDescription("Fine-tune a model. Exactly one of inference and tuning is set.")]
    public TuningSpec? Tuning { get; set; }

    [JsonPropertyName("status")]
    public WorkspaceStatus? Status { get; set; }
}
