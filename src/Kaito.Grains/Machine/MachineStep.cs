namespace Kaito.Grains.Machines;

/// <summary>What a Machine's reconcile pass does next; see <see cref="MachinePlanner"/>.</summary>
public enum MachineStep
{
    None,
    StartCreation,
    /// <summary>The last attempt failed and the backoff has not run out.</summary>
    AwaitBackoff,
    /// <summary>Created: ask whether the node registered, got GPU capacity, went Ready.</summary>
    AwaitNode,
    /// <summary>The current phase ran past its deadline: count it as a failed attempt.</summary>
    PhaseTimedOut,
    /// <summary>Ready: on a poke from the node watch, make sure the node is still there.</summary>
    CheckNode,
    StartDeletion,
    AwaitDeletion,
}
