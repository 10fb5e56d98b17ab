using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kaito.Silo.Webhooks;

/// <summary>
/// <c>admission.k8s.io/v1</c> AdmissionReview, as much of it as the Workspace webhooks read and write (KubernetesClient
/// ships no model for it: it is not part of the API server's OpenAPI).
/// </summary>
public sealed record AdmissionReview
{
    public const string V1 = "admission.k8s.io/v1";

    /// <summary>camelCase, nulls left out: what the API server sends and expects back.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ApiVersion { get; init; } = V1;

    public string Kind { get; init; } = "AdmissionReview";

    public AdmissionRequest? Request { get; init; }

    public AdmissionResponse? Response { get; init; }
}
