using System.Diagnostics.Metrics;
using Kaito.Grains.Telemetry;
using Kaito.Grains.Workspaces;

namespace Kaito.Grains.Tests.Telemetry;

public sealed class ProvisioningPhaseRecorderTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly MeterListener _listener = new();
    private readonly List<(string Phase, string Provisioner, double Seconds)> _recorded = [];
    private readonly string _provisioner = "test-" + Guid.NewGuid().ToString("N")[..8];

    public ProvisioningPhaseRecorderTests()
    {
        // Initialise the meter first: an instrument published from inside KaitoMetrics' static constructor would be
        // compared with a field not assigned yet, and never enabled (it happened when this class ran first).
        var instrument = KaitoMetrics.ProvisioningPhaseDuration;
        _listener.InstrumentPublished = (published, listener) =>
        {
            if (published == instrument)
            {
                listener.EnableMeasurementEvents(published);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            var all = tags.ToArray().ToDictionary(t => t.Key, t => t.Value as string);
            if (all["provisioner"] == _provisioner)
            {
                lock (_recorded)
                {
                    _recorded.Add((all["phase"]!, all["provisioner"]!, value));
                }
            }
        });
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public void Only_the_phases_the_appended_events_ended_are_recorded_with_their_durations()
    {
        var recorder = new ProvisioningPhaseRecorder(_provisioner);
        var times = new ColdStartTimes { StartedAt = T0, NodesRequestedAt = T0.AddSeconds(1), NodesReadyAt = T0.AddSeconds(31) };

        recorder.RecordEnded(times, [T0.AddSeconds(31)]);
        times.WorkloadAppliedAt = T0.AddSeconds(32);
        times.ScheduledAt = T0.AddSeconds(34);
        times.ReadyAt = T0.AddSeconds(94);
        recorder.RecordEnded(times, [T0.AddSeconds(34)]);
        recorder.RecordEnded(times, [T0.AddSeconds(94)]);

        Assert.Equal(
        [
            (ColdStartPhases.Nodes, _provisioner, 30.0),
            (ColdStartPhases.WorkloadScheduled, _provisioner, 2.0),
            (ColdStartPhases.ImageAndModelLoad, _provisioner, 60.0),
            (ColdStartPhases.Ready, _provisioner, 94.0),
        ], _recorded);
    }

    [Fact]
    public void A_phase_read_back_from_the_log_or_seen_again_is_not_counted_twice()
    {
        var recorder = new ProvisioningPhaseRecorder(_provisioner);
        var times = new ColdStartTimes { StartedAt = T0, NodesRequestedAt = T0, NodesReadyAt = T0.AddSeconds(10) };

        // Events appended later than the phase's end: the phase was already over when this activation started.
        recorder.RecordEnded(times, [T0.AddSeconds(20)]);
        Assert.Empty(_recorded);

        recorder.RecordEnded(times, [T0.AddSeconds(10)]);
        recorder.RecordEnded(times, [T0.AddSeconds(10)]);
        Assert.False(recorder.RecordOnce(ProvisioningPhaseRecorder.MachineReady, T0.AddSeconds(5), T0));
        Assert.True(recorder.RecordOnce(ProvisioningPhaseRecorder.MachineReady, T0, T0.AddSeconds(7)));
        Assert.False(recorder.RecordOnce(ProvisioningPhaseRecorder.MachineReady, T0, T0.AddSeconds(7)));

        Assert.Equal([(ColdStartPhases.Nodes, _provisioner, 10.0), (ProvisioningPhaseRecorder.MachineReady, _provisioner, 7.0)], _recorded);
    }
}
