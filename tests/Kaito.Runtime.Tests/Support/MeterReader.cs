using System.Diagnostics.Metrics;

namespace Kaito.Runtime.Tests.Support;

/// <summary>Reads the "Kaito.Runtime" meter's instruments the way an exporter would: observable gauges on demand, counters as they are added.</summary>
public sealed class MeterReader : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, long Value, Dictionary<string, string?> Tags)> _measurements = [];

    /// <param name="meters">The server's meter factory: only its meters are read (other tests' servers run alongside).</param>
    public MeterReader(IMeterFactory meters)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Kaito.Runtime" && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>The latest value of an observable gauge (with its tags), read now.</summary>
    public (long Value, Dictionary<string, string?> Tags)? Gauge(string instrument)
    {
        _listener.RecordObservableInstruments();
        lock (_measurements)
        {
            var last = _measurements.LastOrDefault(m => m.Instrument == instrument);
            return last.Instrument is null ? null : (last.Value, last.Tags);
        }
    }

    /// <summary>The sum of a counter's measurements with the given tag value.</summary>
    public long Counter(string instrument, string tag, string value)
    {
        lock (_measurements)
        {
            return _measurements.Where(m => m.Instrument == instrument && m.Tags.GetValueOrDefault(tag) == value).Sum(m => m.Value);
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, string?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value?.ToString();
        }

        lock (_measurements)
        {
            _measurements.Add((instrument.Name, value, copy));
        }
    }
}
