using Kaito.Grains.Workspaces;

namespace Kaito.Grains.Telemetry;

/// <summary>
/// Records <see cref="KaitoMetrics.ProvisioningPhaseDuration"/> [kaito_provisioning_phase_duration_seconds] for the
/// phases that events just appended by this activation ended: a phase counts when its end is the time of one of those
/// events, and once per activation. Phases read back from the log are never counted again, so a silo restart or a
/// grain moving to another silo does not count a cold start twice. One per grain activation.
/// </summary>
public sealed class ProvisioningPhaseRecorder(string provisioner)
{
    /// <summary>A machine's phase: requested to its node Ready with GPU capacity (all attempts).</summary>
    public const string MachineReady = "MachineReady";

    private readonly HashSet<(string Phase, DateTimeOffset StartedAt)> _recorded = [];

    /// <summary>Records the cold-start phases of <paramref name="times"/> that ended at one of <paramref name="appendedAt"/>; returns them.</summary>
    public IReadOnlyList<ColdStartPhaseView> RecordEnded(ColdStartTimes? times, IEnumerable<DateTimeOffset> appendedAt)
    {
        var ends = appendedAt.ToHashSet();
        var ended = ColdStartPhases.Of(times)
            .Where(p => p.FinishedAt is { } finished && ends.Contains(finished) && _recorded.Add((p.Name, p.StartedAt)))
            .ToList();
        foreach (var phase in ended)
        {
            Record(phase.Name, phase.Duration!.Value);
        }

        return ended;
    }

    /// <summary>Records one finished phase, once per <paramref name="phase"/> and <paramref name="startedAt"/>; false when it was already.</summary>
    public bool RecordOnce(string phase, DateTimeOffset startedAt, DateTimeOffset finishedAt)
    {
        if (finishedAt < startedAt || !_recorded.Add((phase, startedAt)))
        {
            return false;
        }

        Record(phase, finishedAt - startedAt);
        return true;
    }

    private void Record(string phase, TimeSpan duration) => KaitoMetrics.ProvisioningPhaseDuration.Record(duration.TotalSeconds,
        new KeyValuePair<string, object?>("phase", phase), new KeyValuePair<string, object?>("provisioner", provisioner));
}
