namespace Kaito.Api.Validation;

/// <summary>The SKU chosen for a Workspace that omits <c>resource.instanceType</c>, and why.</summary>
public sealed record InstanceTypeDecision(string InstanceType, string Reason);
