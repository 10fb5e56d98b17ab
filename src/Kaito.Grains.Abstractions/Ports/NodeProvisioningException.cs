namespace Kaito.Grains.Ports;

/// <summary>The cloud refused or failed a node operation, with its error code (e.g. <c>QuotaExceeded</c>).</summary>
public sealed class NodeProvisioningException(string code, string message, bool permanent = false) : Exception(message)
{
    public string Code { get; } = code;

    /// <summary>Retrying cannot help (a bad SKU, a policy denial): the machine fails at once.</summary>
    public bool Permanent { get; } = permanent;
}
