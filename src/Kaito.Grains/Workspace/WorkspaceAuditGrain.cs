using Kaito.Grains.EventLog;
using Kaito.Grains.Machines;
using Orleans.Concurrency;

namespace Kaito.Grains.Workspaces;

/// <summary>Audit queries straight from the event tables: no aggregate is activated to answer them.</summary>
[StatelessWorker]
public sealed class WorkspaceAuditGrain(
    EventLogTable<WorkspaceState, WorkspaceEvent> workspaces,
    EventLogTable<MachineState, MachineEvent> machines) : Grain, IWorkspaceAuditGrain
{
    public const int MaxPageSize = 1000;

    public Task<IReadOnlyList<AuditEntry>> GetWorkspaceHistory(string workspaceKey) => workspaces.ReadHistoryAsync(workspaceKey);

    public Task<IReadOnlyList<AuditEntry>> GetMachineHistory(string machineId) => machines.ReadHistoryAsync(machineId);

    public Task<AggregatePage> ListWorkspaces(int pageSize, string? continuationToken) =>
        workspaces.ListAsync(Math.Clamp(pageSize, 1, MaxPageSize), continuationToken);

    public Task<AggregatePage> ListWorkspacesInPhase(string phase, int pageSize, string? continuationToken) =>
        workspaces.ListInPhaseAsync(phase, Math.Clamp(pageSize, 1, MaxPageSize), continuationToken);

    public Task<IReadOnlyList<AggregateInstance>> GetWorkspaceInstances(string objectName) => workspaces.ListInstancesAsync(objectName, '/');
}
