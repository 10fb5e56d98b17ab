using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>Audit queries, answered from the event tables without activating the aggregates. Use key 0.</summary>
public interface IWorkspaceAuditGrain : IGrainWithIntegerKey
{
    /// <summary>Every event of a Workspace, oldest first.</summary>
    Task<IReadOnlyList<AuditEntry>> GetWorkspaceHistory(string workspaceKey);

    /// <summary>Every event of a Machine, oldest first.</summary>
    Task<IReadOnlyList<AuditEntry>> GetMachineHistory(string machineId);

    /// <summary>All Workspaces with their state, a page at a time.</summary>
    Task<AggregatePage> ListWorkspaces(int pageSize, string? continuationToken);

    /// <summary>Like <see cref="ListWorkspaces"/>, only Workspaces whose phase is <paramref name="phase"/> (a page may be short).</summary>
    Task<AggregatePage> ListWorkspacesInPhase(string phase, int pageSize, string? continuationToken);

    /// <summary>
    /// Every Workspace that has had this namespace and name (<c>namespace/name</c> and each <c>namespace/name/uid</c>),
    /// deleted ones included, newest first.
    /// </summary>
    Task<IReadOnlyList<AggregateInstance>> GetWorkspaceInstances(string objectName);
}
