namespace Kaito.Silo.Webhooks;

/// <summary>The metav1.Status of a refusal; the API server prefixes <see cref="Message"/> with the webhook's name.</summary>
public sealed record AdmissionStatus(int Code, string Reason, string Message);
