namespace Kaito.Grains.Machines;

/// <summary>Where a GPU node is in its life. Values are stored by name, never by number.</summary>
public enum MachinePhase
{
    /// <summary>Not requested yet.</summary>
    None,
    /// <summary>Requested; waiting for the first attempt or for the backoff of the next one.</summary>
    Requested,
    Creating,
    NodeRegistered,
    GpuCapacitySeen,
    Ready,
    Failed,
    Deleting,
    Deleted,
}
