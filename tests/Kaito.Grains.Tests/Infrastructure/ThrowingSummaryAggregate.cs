using Kaito.Grains.EventLog;
using Kaito.Grains.Workspaces;

namespace Kaito.Grains.Tests.Infrastructure;

/// <summary>The Workspace aggregate, except that summing up a state throws while <see cref="Armed"/>.</summary>
public sealed class ThrowingSummaryAggregate : IAggregateDefinition<WorkspaceState, WorkspaceEvent>
{
    public string Kind => WorkspaceAggregate.Instance.Kind;

    public int SnapshotSchema => WorkspaceAggregate.Instance.SnapshotSchema;

    public bool Armed { get; set; }

    public void Apply(WorkspaceState state, WorkspaceEvent e) => WorkspaceAggregate.Instance.Apply(state, e);

    public string PhaseOf(WorkspaceState state) => WorkspaceAggregate.Instance.PhaseOf(state);

    public string Summarize(WorkspaceState state) =>
        Armed ? throw new FormatException("the summary cannot be written") : WorkspaceAggregate.Instance.Summarize(state);
}
