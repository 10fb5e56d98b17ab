using System.Text;
using System.Text.Json.Nodes;
using Kaito.Api.Serialization;
using Kaito.Api.Validation;
using Kaito.Api.V1Alpha1;

namespace Kaito.Silo.Webhooks;

/// <summary>
/// The Workspace admission webhooks, pure: <see cref="Validate"/> runs <c>kaito validate</c>'s rules (create, or update
/// against the old object) and <see cref="Mutate"/> fills the defaults first and refuses the same way, so that the
/// user reads upstream's messages and not the API server's schema errors, which come between the two.
/// Never in the way of a deletion: an update of an object that is being deleted, or one that leaves resource,
/// inference and tuning as they were (a finalizer removed, labels or annotations changed), is let through unchecked
/// (upstream Kaito #1719, KServe #5885).
/// </summary>
public sealed class WorkspaceAdmission(WorkspaceValidator validator)
{
    /// <summary>Set by <see cref="Mutate"/> when it chose <c>resource.instanceType</c>: why that SKU.</summary>
    public const string InstanceTypeReasonAnnotation = WorkspaceAnnotations.InstanceTypeReason;

    private static readonly string[] SpecFields = ["resource", "inference", "tuning"];

    public AdmissionResponse Validate(AdmissionRequest request)
    {
        if (Skip(request))
        {
            return Allow(request);
        }

        if (Read(request) is not { } workspace)
        {
            return Refuse(request, ReadErrors(request.Object));
        }

        var result = Check(request, workspace);
        return result.IsValid ? Allow(request, result.Warnings) : Refuse(request, result.Errors);
    }

    public AdmissionResponse Mutate(AdmissionRequest request)
    {
        if (Skip(request))
        {
            return Allow(request);
        }

        var defaulted = request.Object!.DeepClone().AsObject();
        var patch = new JsonArray();
        if (defaulted["resource"] is JsonObject resource)
        {
            var old = request.OldObject?["resource"];
            if (resource["count"] is null)
            {
                var count = old?["count"]?.DeepClone() ?? JsonNode.Parse("1")!;
                resource["count"] = count;
                patch.Add(Add("/resource/count", count.DeepClone()));
            }

            if (resource["instanceType"] is null && old?["instanceType"] is JsonValue kept)
            {
                // An update that omits it (kubectl replace of the original manifest) keeps the chosen SKU.
                resource["instanceType"] = kept.DeepClone();
                patch.Add(Add("/resource/instanceType", kept.DeepClone()));
            }
        }

        var defaultedRequest = request with { Object = defaulted };
        if (Read(defaultedRequest) is not { } workspace)
        {
            return Refuse(request, ReadErrors(defaulted));
        }

        var result = Check(defaultedRequest, workspace);
        if (!result.IsValid)
        {
            return Refuse(request, result.Errors);
        }

        if (result.InstanceType is { } chosen && string.IsNullOrEmpty(workspace.Resource?.InstanceType))
        {
            patch.Add(Add("/resource/instanceType", JsonValue.Create(chosen.InstanceType)));
            patch.Add(defaulted["metadata"]?["annotations"] is JsonObject
                ? Add("/metadata/annotations/" + InstanceTypeReasonAnnotation.Replace("/", "~1", StringComparison.Ordinal), JsonValue.Create(chosen.Reason))
                : Add("/metadata/annotations", new JsonObject { [InstanceTypeReasonAnnotation] = chosen.Reason }));
        }

        var response = Allow(request, result.Warnings);
        return patch.Count == 0
            ? response
            : response with { PatchType = AdmissionResponse.JsonPatchType, Patch = Convert.ToBase64String(Encoding.UTF8.GetBytes(patch.ToJsonString())) };
    }

    /// <summary>Nothing to check: not a create or update, an object being deleted, or an update that leaves the spec alone.</summary>
    public static bool Skip(AdmissionRequest request)
    {
        if (request.Operation is not ("CREATE" or "UPDATE") || request.Object is not JsonObject obj)
        {
            return true;
        }

        if (request.Operation != "UPDATE")
        {
            return false;
        }

        return IsDeleting(obj) || IsDeleting(request.OldObject)
            || (request.OldObject is JsonObject old && SpecFields.All(f => JsonNode.DeepEquals(old[f], obj[f])));
    }

    private static bool IsDeleting(JsonNode? obj) => obj?["metadata"]?["deletionTimestamp"] is JsonValue;

    private ValidationResult Check(AdmissionRequest request, Workspace workspace)
    {
        var old = request.Operation == "UPDATE" && request.OldObject is not null
            ? WorkspaceSerializer.ReadNode(request.OldObject).Workspace
            : null;
        return old is null ? validator.ValidateCreate(workspace) : validator.ValidateUpdate(old, workspace);
    }

    private static Workspace? Read(AdmissionRequest request) => WorkspaceSerializer.ReadNode(WithName(request.Object!)).Workspace;

    private static IReadOnlyList<FieldError> ReadErrors(JsonNode? obj) => WorkspaceSerializer.ReadNode(obj is null ? null : WithName(obj)).Errors;

    /// <summary>With generateName the API server names the object after admission: check a stand-in name instead.</summary>
    private static JsonNode WithName(JsonNode obj)
    {
        if (obj["metadata"] is not JsonObject metadata || metadata["name"] is not null || metadata["generateName"] is not JsonValue prefix)
        {
            return obj;
        }

        var copy = obj.DeepClone();
        copy["metadata"]!["name"] = prefix.GetValue<string>() + "x0000";
        return copy;
    }

    private static JsonObject Add(string path, JsonNode? value) => new() { ["op"] = "add", ["path"] = path, ["value"] = value };

    private static AdmissionResponse Allow(AdmissionRequest request, IReadOnlyList<string>? warnings = null) =>
        new() { Uid = request.Uid, Allowed = true, Warnings = warnings is { Count: > 0 } ? warnings : null };

    /// <summary>Every error on its own line, as <c>kaito validate</c> prints them (field: message).</summary>
    public static AdmissionResponse Refuse(AdmissionRequest request, IReadOnlyList<FieldError> errors)
    {
        var name = $"{request.Namespace ?? request.Object?["metadata"]?["namespace"]?.ToString() ?? "default"}/{request.Name ?? request.Object?["metadata"]?["name"]?.ToString()}";
        var message = $"Workspace {name} is invalid ({errors.Count} {(errors.Count == 1 ? "error" : "errors")}):\n"
            + string.Join("\n", errors.Select(e => e.ToString()));
        return new AdmissionResponse { Uid = request.Uid, Allowed = false, Status = new AdmissionStatus(422, "Invalid", message) };
    }
}
