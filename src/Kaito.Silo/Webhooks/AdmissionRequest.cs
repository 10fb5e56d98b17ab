using System.Text.Json.Nodes;

namespace Kaito.Silo.Webhooks;

/// <summary>What the API server asks: one CREATE or UPDATE (DELETE is not registered) of one object.</summary>
public sealed record AdmissionRequest
{
    public string Uid { get; init; } = "";

    /// <summary>CREATE, UPDATE, DELETE or CONNECT.</summary>
    public string Operation { get; init; } = "";

    public string? Namespace { get; init; }

    public string? Name { get; init; }

    /// <summary>The object as it would be stored (null for DELETE).</summary>
    public JsonNode? Object { get; init; }

    /// <summary>The stored object (UPDATE and DELETE only).</summary>
    public JsonNode? OldObject { get; init; }

    public bool? DryRun { get; init; }
}
