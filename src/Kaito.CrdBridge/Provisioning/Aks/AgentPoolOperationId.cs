namespace Kaito.CrdBridge.Provisioning.Aks;

/// <summary>
/// The operation id a machine records for a create or delete: <c>create:async:&lt;Azure-AsyncOperation URL&gt;</c>,
/// <c>create:location:&lt;Location URL&gt;</c>, or <c>create:pool:&lt;pool&gt;</c> / <c>delete:pool:&lt;pool&gt;</c> when
/// there is no ARM operation to poll (a pool found already creating after a restart, a pool already gone) and the
/// pool's own provisioningState tells.
/// </summary>
public sealed record AgentPoolOperationId(bool Delete, string Kind, string Value)
{
    public const string AsyncKind = "async";
    public const string LocationKind = "location";
    public const string PoolKind = "pool";

    public static AgentPoolOperationId ForPool(bool delete, string pool) => new(delete, PoolKind, pool);

    public static AgentPoolOperationId From(bool delete, string pool, ArmOperationStart start) =>
        start.AsyncOperation is { } async ? new(delete, AsyncKind, async.AbsoluteUri)
        : start.Location is { } location ? new(delete, LocationKind, location.AbsoluteUri)
        : ForPool(delete, pool);

    public static AgentPoolOperationId Parse(string id)
    {
        var parts = id.Split(':', 3);
        return parts.Length == 3 && parts[0] is "create" or "delete" && parts[1] is AsyncKind or LocationKind or PoolKind
            ? new AgentPoolOperationId(parts[0] == "delete", parts[1], parts[2])
            : throw new FormatException($"\"{id}\" is not an agent pool operation id");
    }

    public override string ToString() => $"{(Delete ? "delete" : "create")}:{Kind}:{Value}";
}
