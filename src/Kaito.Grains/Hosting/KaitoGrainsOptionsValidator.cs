using Microsoft.Extensions.Options;

namespace Kaito.Grains.Hosting;

public sealed class KaitoGrainsOptionsValidator : IValidateOptions<KaitoGrainsOptions>
{
    public ValidateOptionsResult Validate(string? name, KaitoGrainsOptions options)
    {
        var errors = new List<string>();
        if (options.TableServiceClient is null && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add("Set KaitoGrainsOptions.TableServiceClient or KaitoGrainsOptions.ConnectionString.");
        }

        if (string.IsNullOrEmpty(options.TablePrefix) || !char.IsAsciiLetter(options.TablePrefix[0])
            || !options.TablePrefix.All(char.IsAsciiLetterOrDigit) || options.TablePrefix.Length > 40)
        {
            errors.Add($"TablePrefix '{options.TablePrefix}' must start with a letter and hold 1-40 letters or digits.");
        }

        if (options.SnapshotEvery is < 1 or > 10_000)
        {
            errors.Add($"SnapshotEvery must be 1-10000, not {options.SnapshotEvery}.");
        }

        if (options.ReconcileInterval <= TimeSpan.Zero)
        {
            errors.Add("ReconcileInterval must be positive.");
        }

        if (options.ReminderPeriod <= TimeSpan.Zero)
        {
            errors.Add("ReminderPeriod must be positive.");
        }

        if (options.ReobserveInterval <= TimeSpan.Zero)
        {
            errors.Add("ReobserveInterval must be positive.");
        }

        if (options.FailureBackoffCap < options.ReconcileInterval)
        {
            errors.Add("FailureBackoffCap must be at least ReconcileInterval.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
