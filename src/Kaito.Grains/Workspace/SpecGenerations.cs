namespace Kaito.Grains.Workspaces;

/// <summary>
/// Which generation a submitted document is, and whether it was judged already. Documents from the API carry
/// <c>metadata.generation</c>; one without it (a hand-made submission) is judged on its content: the same spec as
/// the accepted or the last rejected one is a redelivery, any other spec is the next generation and is judged anew.
/// </summary>
public static class SpecGenerations
{
    /// <summary>The earlier verdict on this document (Unchanged or Rejected), or null when it must be judged.</summary>
    public static SpecApplyOutcome? Judge(WorkspaceState state, long? generation, string specHash)
    {
        if (generation is { } g)
        {
            if (state.Spec is not null && g <= state.Generation)
            {
                return SpecApplyOutcome.Unchanged;
            }

            return state.RejectedGeneration == g ? SpecApplyOutcome.Rejected : null;
        }

        if (state.Spec?.RevisionHash == specHash)
        {
            return SpecApplyOutcome.Unchanged;
        }

        return state.RejectedGeneration is not null && state.RejectedSpecHash == specHash ? SpecApplyOutcome.Rejected : null;
    }

    /// <summary>The generation a document to be judged counts as.</summary>
    public static long Of(WorkspaceState state, long? generation) =>
        generation ?? Math.Max(state.Generation, state.RejectedGeneration ?? 0) + 1;
}
