using System.Text.Json.Serialization;
using k8s.Models;

namespace Kaito.Api.V1Alpha1;

public sealed class WorkspaceStatus
{
    [JsonPropertyName("workerNodes")]
    [SchemaDescription("The nodes the workload runs on.")]
    public IList<string>? WorkerNodes { get; set; }

    [JsonPropertyName("conditions")]
    [SchemaDescription("Standard Kubernetes conditions: ResourceReady, InferenceReady, JobStarted, WorkspaceSucceeded, WorkspaceDeleting.")]
    public IList<V1Condition>? Conditions { get; set; }

    [JsonPropertyName("phases")]
    [SchemaDescription("The phases of the latest cold start with their start, end and duration, in order: Nodes, WorkloadScheduled, ImageAndModelLoad, Ready.")]
    public IList<ColdStartPhaseStatus>? Phases { get; set; }
}
