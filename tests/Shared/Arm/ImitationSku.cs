namespace Kaito.Testing.Arm;

/// <summary>A VM size the imitated region lists (Microsoft.Compute/skus), optionally restricted for the subscription.</summary>
public sealed record ImitationSku(string Name, string Family, int VCpus, string? Restriction = null);
