using System.Text.Json.Nodes;

namespace Kaito.CrdBridge.Provisioning.Aks;

/// <summary>Reads ARM error documents and says which errors no retry can fix.</summary>
public static class ArmErrors
{
    /// <summary>Codes a user must act on (quota, region, SKU, permissions, a bad request): the machine fails at once.</summary>
    private static readonly HashSet<string> PermanentCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "QuotaExceeded", "OperationNotAllowed", "InsufficientVCPUQuota", "InsufficientSubnetSize",
        "SkuNotAvailable", "ZonalAllocationFailed", "AllocationFailed", "OverconstrainedAllocationRequest",
        "InvalidParameter", "InvalidVMSize", "VMSizeNotSupported", "InvalidTemplate", "BadRequest",
        "AuthorizationFailed", "LinkedAuthorizationFailed", "InvalidAuthenticationToken", "AuthenticationFailed",
        "RequestDisallowedByPolicy", "SubscriptionNotRegistered", "MissingSubscriptionRegistration",
        "ResourceGroupNotFound", "ParentResourceNotFound", "ResourceNotFound",
    };

    public static bool IsPermanent(string code) => PermanentCodes.Contains(code);

    /// <summary>The code and message of <c>{"error":{"code","message"}}</c> (or of an operation document's <c>error</c>).</summary>
    public static (string Code, string Message) Read(JsonNode? document, int status)
    {
        var error = document?["error"] as JsonObject;
        var code = error?["code"]?.GetValue<string>() is { Length: > 0 } c ? c : $"Http{status}";
        var message = error?["message"]?.GetValue<string>() is { Length: > 0 } m ? m : $"Azure Resource Manager answered {status}";
        return (code, message);
    }
}
