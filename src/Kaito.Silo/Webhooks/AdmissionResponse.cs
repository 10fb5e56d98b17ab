namespace Kaito.Silo.Webhooks;

/// <summary>The webhook's answer: allowed or not (with the reasons in <see cref="Status"/>), an optional JSON patch, warnings.</summary>
public sealed record AdmissionResponse
{
    public const string JsonPatchType = "JSONPatch";

    public string Uid { get; init; } = "";

    public bool Allowed { get; init; }

    public AdmissionStatus? Status { get; init; }

    /// <summary><see cref="JsonPatchType"/> when <see cref="Patch"/> is set.</summary>
    public string? PatchType { get; init; }

    /// <summary>Base64 of an RFC 6902 JSON patch.</summary>
    public string? Patch { get; init; }

    /// <summary>Shown by kubectl as <c>Warning: ...</c> (API server 1.19 and later).</summary>
    public IReadOnlyList<string>? Warnings { get; init; }
}
