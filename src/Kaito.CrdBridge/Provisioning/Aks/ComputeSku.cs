namespace Kaito.CrdBridge.Provisioning.Aks;

/// <summary>A VM size as the Microsoft.Compute resource SKUs API lists it for a region.</summary>
/// <param name="Restriction">Why the subscription cannot use it there (e.g. <c>NotAvailableForSubscription</c>), or null.</param>
public sealed record ComputeSku(string Name, string Family, int VCpus, string? Restriction);
