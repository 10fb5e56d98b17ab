using System.Text.Json.Serialization;

namespace Kaito.Api.V1Alpha1;

[SchemaDescription("One phase of the workspace's latest cold start, timed from the control plane's recorded events.")]
public sealed class ColdStartPhaseStatus
{
    [JsonPropertyName("name")]
    [SchemaDescription("Nodes (machines requested to nodes ready), WorkloadScheduled (workload applied to pods scheduled), " +
        "ImageAndModelLoad (pods scheduled to pods Ready) or Ready (revision accepted to WorkspaceSucceeded).")]
    public string? Name { get; set; }

    [JsonPropertyName("startedAt")]
    [SchemaDescription("When the phase started.")]
    public DateTime? StartedAt { get; set; }

    [JsonPropertyName("finishedAt")]
    [SchemaDescription("When the phase finished; absent while it runs.")]
    public DateTime? FinishedAt { get; set; }

    [JsonPropertyName("durationSeconds")]
    [SchemaDescription("finishedAt - startedAt in seconds; absent while the phase runs.")]
    public double? DurationSeconds { get; set; }
}
