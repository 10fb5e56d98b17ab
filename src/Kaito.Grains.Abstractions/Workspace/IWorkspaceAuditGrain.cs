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
}
