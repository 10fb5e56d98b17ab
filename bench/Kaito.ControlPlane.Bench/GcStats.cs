using System.Globalization;

namespace Kaito.ControlPlane.Bench;

/// <summary>This process's garbage collections between two reads: count per generation, total pause, heap size.</summary>
internal readonly record struct GcStats(int Gen0, int Gen1, int Gen2, TimeSpan Paused)
{
    public static GcStats Read() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());

    public static string Since(GcStats before)
    {
        var now = Read();
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        return string.Create(CultureInfo.InvariantCulture,
            $"gen0 {now.Gen0 - before.Gen0}, gen1 {now.Gen1 - before.Gen1}, gen2 {now.Gen2 - before.Gen2}, paused {(now.Paused - before.Paused).TotalMilliseconds:F0} ms; "
            + $"heap {info.HeapSizeBytes / (1 << 20)} MiB, last pause {info.PauseDurations[0].TotalMilliseconds:F0} ms, concurrent {GC.GetConfigurationVariables().GetValueOrDefault("ConcurrentGCEnabled")}");
    }
}
