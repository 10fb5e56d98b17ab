using Kaito.Grains.Hosting;

namespace Kaito.Grains.Retries;

/// <summary>
/// The slow cadence on which a settled aggregate looks at the world again. A grain timer that keeps the activation
/// (so a Ready workspace or machine is re-observed for as long as its silo runs), first due after a jittered interval
/// so that aggregates activated together do not tick together.
/// </summary>
public static class ReobserveTimers
{
    public const string Cause = "reobserve";

    /// <summary>Whether a reconcile was started by a driver (timer, reminder, re-observe) rather than by a command or a poke.</summary>
    public static bool IsDriverTick(string cause) => cause is "timer" or "reminder" or Cause;

    public static IGrainTimer Start<TGrain>(TGrain grain, KaitoGrainsOptions options, Func<TGrain, Task> tick)
        where TGrain : IGrainBase
    {
        var interval = options.ReobserveInterval;
        var due = interval * (1 - (0.2 * Random.Shared.NextDouble()));
        return grain.RegisterGrainTimer(
            static (state, _) => state.Tick(state.Grain),
            (Grain: grain, Tick: tick),
            new GrainTimerCreationOptions { DueTime = due, Period = interval, Interleave = false, KeepAlive = true });
    }
}
