using Kaito.Grains.EventLog;
using Kaito.Grains.Workspaces;

namespace Kaito.Silo.Audit;

/// <summary>The answers of the audit API, from the audit grain (plain table reads, no aggregate activated).</summary>
public sealed class AuditQueries(IWorkspaceAuditGrain grain)
{
    public const int DefaultLimit = 100;

    public async Task<AuditPage<WorkspaceRecord>> ListWorkspacesAsync(string? state, int limit, string? continuation)
    {
        var page = state is null
            ? await grain.ListWorkspaces(limit, continuation)
            : await grain.ListWorkspacesInPhase(state, limit, continuation);
        return new AuditPage<WorkspaceRecord>([.. page.Items.Select(s => ToRecord(s, null))], page.ContinuationToken);
    }

    /// <summary>The newest Workspace of this name, or the one with <paramref name="uid"/>; null when there is none.</summary>
    public async Task<WorkspaceRecord?> GetWorkspaceAsync(string @namespace, string name, string? uid)
    {
        var instances = await grain.GetWorkspaceInstances($"{@namespace}/{name}");
        var chosen = instances.FirstOrDefault(i => uid is null || WorkspaceKey.Parse(i.Summary.Id).Uid == uid);
        return chosen is null ? null : ToRecord(chosen.Summary, chosen.FirstEventAt);
    }

    /// <summary>
    /// The events of every Workspace that has had this name (or only the one with <paramref name="uid"/>), newest
    /// first; null when there is none.
    /// </summary>
    public async Task<AuditPage<AuditEvent>?> GetWorkspaceEventsAsync(string @namespace, string name, string? uid, int limit, int offset)
    {
        var instances = (await grain.GetWorkspaceInstances($"{@namespace}/{name}"))
            .Where(i => uid is null || WorkspaceKey.Parse(i.Summary.Id).Uid == uid).ToList();
        if (instances.Count == 0)
        {
            return null;
        }

        var histories = await Task.WhenAll(instances.Select(async i =>
            (Uid: WorkspaceKey.Parse(i.Summary.Id).Uid, History: await grain.GetWorkspaceHistory(i.Summary.Id))));
        var events = histories.SelectMany(h => h.History.Select(e => ToEvent(h.Uid, e)))
            .OrderByDescending(e => e.Time).ThenByDescending(e => e.Version);
        return Page([.. events], limit, offset);
    }

    public async Task<AuditPage<AuditEvent>?> GetMachineEventsAsync(string name, int limit, int offset)
    {
        var history = await grain.GetMachineHistory(name);
        return history.Count == 0 ? null : Page([.. history.Reverse().Select(e => ToEvent(null, e))], limit, offset);
    }

    private static AuditPage<AuditEvent> Page(IReadOnlyList<AuditEvent> events, int limit, int offset)
    {
        var next = offset + limit;
        return new AuditPage<AuditEvent>([.. events.Skip(offset).Take(limit)], next < events.Count ? next.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
    }

    private static WorkspaceRecord ToRecord(AggregateSummary summary, DateTimeOffset? createdAt)
    {
        var key = WorkspaceKey.Parse(summary.Id);
        return new WorkspaceRecord(key.Namespace, key.Name, key.Uid, summary.Phase, summary.Version, SecretRedaction.Redact(summary.Summary), createdAt, summary.UpdatedAt);
    }

    private static AuditEvent ToEvent(string? uid, AuditEntry entry) =>
        new(uid, entry.Version, entry.EventType, entry.At, entry.Actor, entry.Cause, entry.Generation, SecretRedaction.Redact(entry.Summary));
}
