using Kaito.Silo.Run;
using Microsoft.Extensions.Options;

namespace Kaito.Silo.Audit;

/// <summary>Refuses an audit API that cannot be listened on, or one exposed beyond loopback without a token, naming the setting.</summary>
public sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var address = AuditEndpointAddress.TryParse(options.Url, out var problem);
        if (address is null)
        {
            return ValidateOptionsResult.Fail($"Audit:Url \"{options.Url}\" {problem}; set {Describe(nameof(options.Url))}.");
        }

        if (!address.IsLoopback && string.IsNullOrWhiteSpace(options.Token))
        {
            return ValidateOptionsResult.Fail(
                $"Audit:Token is required when the audit API listens beyond loopback (Audit:Url is {options.Url}): set {Describe(nameof(options.Token))}, " +
                $"or bind Audit:Url to 127.0.0.1, or turn it off with {Describe(nameof(options.Enabled))} = false.");
        }

        return ValidateOptionsResult.Success;
    }

    private static string Describe(string key) => RunSettings.Describe($"{AuditOptions.SectionName}:{key}");
}
