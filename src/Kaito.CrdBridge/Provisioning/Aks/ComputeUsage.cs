namespace Kaito.CrdBridge.Provisioning.Aks;

/// <summary>One row of the Microsoft.Compute usages API: a quota (e.g. <c>standardNCSv3Family</c> vCPUs) in a region.</summary>
public sealed record ComputeUsage(string Name, string LocalizedName, long CurrentValue, long Limit);
