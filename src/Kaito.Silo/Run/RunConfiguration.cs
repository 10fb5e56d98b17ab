using Kaito.Silo.Cli;
using Microsoft.Extensions.Configuration;

namespace Kaito.Silo.Run;

/// <summary>Reads <c>kaito run</c>'s configuration: the <c>--config</c> JSON file, then <c>KAITO_*</c> variables, then flags.</summary>
public static class RunConfiguration
{
    public static IConfigurationRoot Read(IReadOnlyList<string> args, IDictionary<string, string?>? environment = null)
    {
        var reader = new RunArguments(args);
        string? file = null;
        var flags = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        while (reader.TryNext(out var arg))
        {
            var (flag, inline) = RunArguments.Split(arg);
            if (flag == "--config")
            {
                file = reader.Value(flag, inline);
            }
            else if (flag == "--set")
            {
                // --set Machines:MaxAttempts=3: any setting without a flag of its own.
                var pair = reader.Value(flag, inline);
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                flags[eq > 0 ? pair[..eq] : throw new UsageException($"--set needs KEY=VALUE, not \"{pair}\"")] = pair[(eq + 1)..];
            }
            else if (RunSettings.Flags.TryGetValue(flag, out var key))
            {
                flags[key] = reader.Value(flag, inline);
            }
            else
            {
                throw new UsageException($"unknown argument \"{arg}\"");
            }
        }

        var builder = new ConfigurationBuilder();
        if (file is not null)
        {
            if (!File.Exists(file))
            {
                throw new StartupException($"The config file {file} (--config) does not exist.");
            }

            builder.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
        }

        if (environment is null)
        {
            builder.AddEnvironmentVariables(RunSettings.EnvironmentPrefix);
        }
        else
        {
            builder.AddInMemoryCollection(environment
                .Where(e => e.Key.StartsWith(RunSettings.EnvironmentPrefix, StringComparison.Ordinal))
                .Select(e => KeyValuePair.Create(e.Key[RunSettings.EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal), e.Value)));
        }

        builder.AddInMemoryCollection(flags);
        try
        {
            return builder.Build();
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException)
        {
            throw new StartupException($"The config file {file} (--config) cannot be read: {ex.Message}", ex);
        }
    }
}
