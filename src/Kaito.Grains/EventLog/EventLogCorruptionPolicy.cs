namespace Kaito.Grains.EventLog;

/// <summary>
/// What an aggregate does when its log turns out unreadable (an unknown type, bad JSON, a gap): never throw to the
/// log-consistency provider (it would retry the same row forever and wedge the grain). Found while activating, the
/// activation fails at once with <see cref="EventLogCorruptedException"/>; found by the re-read after a lost race, the
/// write in flight is dropped (nothing stored), that command fails with the same exception, and the activation goes,
/// so the next call reports the damage again; repairing the row is enough to bring the aggregate back.
/// </summary>
public sealed class EventLogCorruptionPolicy(Action deactivate)
{
    /// <summary>The damage last found, or null while the log reads cleanly.</summary>
    public EventLogCorruptedException? Damage { get; private set; }

    /// <summary>Records damage found by a read; <paramref name="activating"/> says whether the grain is still starting.</summary>
    public void Report(EventLogCorruptedException damage, bool activating)
    {
        Damage = damage;
        if (!activating)
        {
            deactivate();
        }
    }

    public void Clear() => Damage = null;

    /// <summary>Throws the damage (as a fresh exception, so each caller gets its own stack) when there is any.</summary>
    public void ThrowIfDamaged()
    {
        if (Damage is { } damage)
        {
            throw new EventLogCorruptedException(damage.AggregateKind, damage.AggregateId, damage.Version, damage.Reason, damage);
        }
    }
}
