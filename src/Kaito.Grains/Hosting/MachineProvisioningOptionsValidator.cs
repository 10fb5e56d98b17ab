using Microsoft.Extensions.Options;

namespace Kaito.Grains.Hosting;

public sealed class MachineProvisioningOptionsValidator : IValidateOptions<MachineProvisioningOptions>
{
    public ValidateOptionsResult Validate(string? name, MachineProvisioningOptions options)
    {
        var errors = new List<string>();
        if (options.NodeRegistrationTimeout <= TimeSpan.Zero || options.GpuReadyTimeout <= TimeSpan.Zero)
        {
            errors.Add("NodeRegistrationTimeout and GpuReadyTimeout must be positive.");
        }

        if (options.MaxAttempts < 1)
        {
            errors.Add($"MaxAttempts must be at least 1, not {options.MaxAttempts}.");
        }

        if (options.BackoffBase <= TimeSpan.Zero || options.BackoffCap < options.BackoffBase)
        {
            errors.Add("BackoffBase must be positive and BackoffCap at least BackoffBase.");
        }

        if (options.MaxReplacements < 0)
        {
            errors.Add($"MaxReplacements must be 0 or more, not {options.MaxReplacements}.");
        }

        if (options.ReplacementBackoffBase <= TimeSpan.Zero || options.ReplacementBackoffCap < options.ReplacementBackoffBase)
        {
            errors.Add("ReplacementBackoffBase must be positive and ReplacementBackoffCap at least ReplacementBackoffBase.");
        }

        if (options.JitterRatio is < 0 or > 1)
        {
            errors.Add($"JitterRatio must be within [0, 1], not {options.JitterRatio}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
