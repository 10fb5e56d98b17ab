using Kaito.Grains.Workspaces;
using static Kaito.Grains.Tests.Infrastructure.TestEvents;

namespace Kaito.Grains.Tests.Workspaces;

/// <summary>A document without metadata.generation is judged on its content, never on an older rejection.</summary>
public sealed class SpecGenerationsTests
{
    [Fact]
    public void A_different_document_without_a_generation_after_a_rejected_one_is_judged_anew()
    {
        var state = Workspace(new WorkspaceSpecRejected(Context(generation: 1), ["bad preset"], "hash-bad"));

        Assert.Equal(SpecApplyOutcome.Rejected, SpecGenerations.Judge(state, null, "hash-bad"));
        Assert.Null(SpecGenerations.Judge(state, null, "hash-good"));
        Assert.Equal(2, SpecGenerations.Of(state, null));
    }

    [Fact]
    public void Without_a_generation_the_accepted_spec_is_unchanged_and_any_other_is_the_next_generation()
    {
        var state = Workspace(new WorkspaceRequested(Context(generation: 4), Spec(hash: "hash-a")));

        Assert.Equal(SpecApplyOutcome.Unchanged, SpecGenerations.Judge(state, null, "hash-a"));
        Assert.Null(SpecGenerations.Judge(state, null, "hash-b"));
        Assert.Equal(5, SpecGenerations.Of(state, null));
    }

    [Fact]
    public void With_a_generation_older_ones_are_unchanged_and_a_rejected_one_stays_rejected()
    {
        var state = Workspace(new WorkspaceRequested(Context(generation: 2), Spec(hash: "hash-a")),
            new WorkspaceSpecRejected(Context(generation: 3), ["immutable"], "hash-c"));

        Assert.Equal(SpecApplyOutcome.Unchanged, SpecGenerations.Judge(state, 2, "whatever"));
        Assert.Equal(SpecApplyOutcome.Rejected, SpecGenerations.Judge(state, 3, "hash-c"));
        Assert.Null(SpecGenerations.Judge(state, 4, "hash-d"));
        Assert.Equal(4, SpecGenerations.Of(state, 4));
    }
}
