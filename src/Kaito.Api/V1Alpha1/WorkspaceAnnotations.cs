namespace Kaito.Api.V1Alpha1;

/// <summary>Annotations Kaito.NET reads or writes on a Workspace.</summary>
public static class WorkspaceAnnotations
{
    /// <summary>Set by the defaulting webhook when it filled in <c>resource.instanceType</c>: why that SKU.</summary>
    public const string InstanceTypeReason = "kaito.sh/instance-type-reason";
}
