using Kaito.Grains.Ports;

namespace Kaito.CrdBridge.Provisioning.Aks;

/// <summary>
/// Before a pool is created: is the VM size offered in the region, and do the region's vCPU quotas (the SKU's family
/// and the regional total) leave room for one more node? Users' most common AKS failure is a GPU quota they did not
/// know about, so the workspace says so with the numbers instead of waiting for the create to fail.
/// </summary>
public sealed class AgentPoolQuota(AgentPoolArmClient arm, AgentPoolOptions options)
{
    public const string InsufficientQuotaCode = "InsufficientVCPUQuota";
    public const string SkuNotAvailableCode = "SkuNotAvailable";
    private const string RegionalTotal = "cores";

    private IReadOnlyList<ComputeSku>? _skus;

    /// <summary>Throws a permanent <see cref="NodeProvisioningException"/> when one node of the size cannot be created.</summary>
    public async Task EnsureRoomAsync(string vmSize, CancellationToken cancellationToken)
    {
        _skus ??= await arm.ListVmSkusAsync(cancellationToken);
        var sku = _skus.FirstOrDefault(s => string.Equals(s.Name, vmSize, StringComparison.OrdinalIgnoreCase))
            ?? throw new NodeProvisioningException(SkuNotAvailableCode,
                $"The VM size {vmSize} is not offered in {options.Location}: pick another instance type or a cluster in another region.", permanent: true);
        if (sku.Restriction is { } reason)
        {
            throw new NodeProvisioningException(SkuNotAvailableCode,
                $"The VM size {vmSize} is not available to this subscription in {options.Location} ({reason}): pick another instance type or region.", permanent: true);
        }

        var usages = await arm.ListUsagesAsync(cancellationToken);
        foreach (var quota in new[] { sku.Family, RegionalTotal })
        {
            if (usages.FirstOrDefault(u => string.Equals(u.Name, quota, StringComparison.OrdinalIgnoreCase)) is not { } usage)
            {
                continue;
            }

            var free = usage.Limit - usage.CurrentValue;
            if (free < sku.VCpus)
            {
                var label = usage.LocalizedName.Length > 0 ? $"{usage.LocalizedName} ({usage.Name})" : usage.Name;
                throw new NodeProvisioningException(InsufficientQuotaCode,
                    $"{vmSize} needs {sku.VCpus} vCPUs of the {label} quota in {options.Location}, but {usage.CurrentValue} of {usage.Limit} are in use "
                    + $"({Math.Max(0, free)} free): request a quota increase or pick another instance type.", permanent: true);
            }
        }
    }
}
