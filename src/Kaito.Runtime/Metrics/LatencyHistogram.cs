using System.Diagnostics.Metrics;

namespace Kaito.Runtime.Metrics;

/// <summary>
/// A latency in seconds recorded to one or more histogram instruments (Kaito's and vLLM's names), with a running count
/// and sum the server and the bench can read without scraping.
/// </summary>
public sealed class LatencyHistogram
{
    private readonly (Histogram<double> Instrument, KeyValuePair<string, object?>[] Tags)[] _targets;
    private readonly Lock _lock = new();
    private double _sum;
    private long _count;

    internal LatencyHistogram(params (Histogram<double> Instrument, KeyValuePair<string, object?>[] Tags)[] targets) => _targets = targets;

    public long Count => Interlocked.Read(ref _count);

    public double Sum
    {
        get
        {
            lock (_lock)
            {
                return _sum;
            }
        }
    }

    public void Observe(double seconds)
    {
        foreach (var (instrument, tags) in _targets)
        {
            instrument.Record(seconds, tags);
        }

        lock (_lock)
        {
            _sum += seconds;
            _count++;
        }
    }
}
