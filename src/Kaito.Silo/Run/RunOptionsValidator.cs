using Microsoft.Extensions.Options;

namespace Kaito.Silo.Run;

/// <summary>Refuses a configuration that cannot work, naming each setting as the user would set it.</summary>
public sealed class RunOptionsValidator : IValidateOptions<RunOptions>
{
    public ValidateOptionsResult Validate(string? name, RunOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Storage))
        {
            errors.Add($"Storage is required: an Azure Storage connection string (UseDevelopmentStorage=true for Azurite); set {RunSettings.Describe(nameof(RunOptions.Storage))}.");
        }

        if (options.Clustering is not ("localhost" or "azuretable"))
        {
            errors.Add($"Clustering must be localhost or azuretable, not \"{options.Clustering}\"; set {RunSettings.Describe(nameof(RunOptions.Clustering))}.");
        }

        foreach (var (key, port) in new[] { (nameof(RunOptions.SiloPort), options.SiloPort), (nameof(RunOptions.GatewayPort), options.GatewayPort) })
        {
            if (port is < 1 or > 65535)
            {
                errors.Add($"{key} must be a TCP port (1-65535), not {port}; set {RunSettings.Describe(key)}.");
            }
        }

        if (!string.IsNullOrEmpty(options.AdvertisedAddress) && !System.Net.IPAddress.TryParse(options.AdvertisedAddress, out _))
        {
            errors.Add($"AdvertisedAddress must be an IP address, not \"{options.AdvertisedAddress}\"; set {RunSettings.Describe(nameof(RunOptions.AdvertisedAddress))}.");
        }

        if (options.SiloPort == options.GatewayPort)
        {
            errors.Add($"SiloPort and GatewayPort must differ (both {options.SiloPort}).");
        }

        if (string.IsNullOrEmpty(options.TablePrefix) || !char.IsAsciiLetter(options.TablePrefix[0]) || !options.TablePrefix.All(char.IsAsciiLetterOrDigit))
        {
            errors.Add($"TablePrefix must start with a letter and hold letters or digits only, not \"{options.TablePrefix}\"; set {RunSettings.Describe(nameof(RunOptions.TablePrefix))}.");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceId) || string.IsNullOrWhiteSpace(options.ClusterId))
        {
            errors.Add("ServiceId and ClusterId must not be empty.");
        }

        if (options.StartupTimeout <= TimeSpan.Zero)
        {
            errors.Add($"StartupTimeout must be positive; set {RunSettings.Describe(nameof(RunOptions.StartupTimeout))}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
