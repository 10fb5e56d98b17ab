using Kaito.Grains.Hosting;

namespace Kaito.Grains.EventLog;

/// <summary>
/// Keeps an unsettled aggregate moving: a grain timer (<see cref="KaitoGrainsOptions.ReconcileInterval"/>) while it is
/// active, and a durable reminder (<see cref="KaitoGrainsOptions.ReminderPeriod"/>) that brings it back after a silo
/// crash with no outside call. Both stop once the aggregate is settled. An aggregate that another one drives while it
/// is unsettled (a machine whose workspace asks for it on every pass) needs no reminder of its own: registering and
/// dropping one would cost three table requests per machine for nothing.
/// </summary>
public sealed class ReconcileDriver(Grain grain, Func<string, Task> reconcile, KaitoGrainsOptions options)
{
    public const string ReminderName = "reconcile";

    private readonly Func<string, Task> _reconcile = reconcile;
    private IGrainTimer? _timer;
    private bool _reminderRegistered;

    /// <summary>
    /// Starts the timer, and the reminder when <paramref name="durable"/>, when <paramref name="settled"/> is false;
    /// stops both when true.
    /// </summary>
    public async Task UpdateAsync(bool settled, bool durable = true)
    {
        if (settled)
        {
            _timer?.Dispose();
            _timer = null;
            if (_reminderRegistered)
            {
                // A reminder left by an earlier activation is dropped when it next fires (OnReminderAsync).
                await StopReminderAsync();
            }

            return;
        }

        _timer ??= grain.RegisterGrainTimer(
            static (driver, _) => driver._reconcile("timer"),
            this,
            new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = options.ReconcileInterval, Interleave = false, KeepAlive = false });
        if (durable && !_reminderRegistered)
        {
            await grain.RegisterOrUpdateReminder(ReminderName, options.ReminderPeriod, options.ReminderPeriod);
            _reminderRegistered = true;
        }
    }

    /// <summary>Brings the next timer tick forward to now, so that a command's effects start without waiting a period.</summary>
    public void TickSoon() => _timer?.Change(TimeSpan.Zero, options.ReconcileInterval);

    /// <summary>The reminder fired: reconcile, or drop the reminder when there is nothing left to do.</summary>
    public async Task OnReminderAsync(bool settled)
    {
        if (settled)
        {
            await StopReminderAsync();
            return;
        }

        await _reconcile("reminder");
    }

    private async Task StopReminderAsync()
    {
        var reminder = await grain.GetReminder(ReminderName);
        if (reminder is not null)
        {
            await grain.UnregisterReminder(reminder);
        }

        _reminderRegistered = false;
    }
}
