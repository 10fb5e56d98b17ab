using Kaito.Api.Validation;
using Microsoft.Extensions.Options;

namespace Kaito.CrdBridge.Hosting;

public sealed class CrdBridgeOptionsValidator : IValidateOptions<CrdBridgeOptions>
{
    public ValidateOptionsResult Validate(string? name, CrdBridgeOptions options)
    {
        var errors = new List<string>();
        if (options.Namespace is not null && Dns1123.CheckLabel(options.Namespace) is { } problem)
        {
            errors.Add($"Namespace '{options.Namespace}': {problem}.");
        }

        if (options.WatchTimeout < TimeSpan.FromSeconds(1) || options.ResyncInterval <= TimeSpan.Zero)
        {
            errors.Add("WatchTimeout must be at least 1 second and ResyncInterval positive.");
        }

        if (options.BackoffBase <= TimeSpan.Zero || options.BackoffCap < options.BackoffBase)
        {
            errors.Add("BackoffBase must be positive and BackoffCap at least BackoffBase.");
        }

        if (options.JitterRatio is < 0 or > 1)
        {
            errors.Add($"JitterRatio must be within [0, 1], not {options.JitterRatio}.");
        }

        if (options.MissingResourceRetry <= TimeSpan.Zero || options.WorkspaceSyncWait < TimeSpan.Zero)
        {
            errors.Add("MissingResourceRetry must be positive and WorkspaceSyncWait not negative.");
        }

        if (options.ListPageSize < 1 || options.StatusConflictRetries < 0)
        {
            errors.Add($"ListPageSize must be at least 1 (not {options.ListPageSize}) and StatusConflictRetries not negative (not {options.StatusConflictRetries}).");
        }

        if (options.WorkspaceConcurrency < 1)
        {
            errors.Add($"WorkspaceConcurrency must be at least 1 (not {options.WorkspaceConcurrency}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
