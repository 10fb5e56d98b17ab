using System.Globalization;
using Kaito.Runtime.Serving;
using Microsoft.Extensions.Options;

namespace Kaito.Runtime;

/// <summary>Fails start-up on a configuration the server cannot serve with.</summary>
public sealed class RuntimeOptionsValidator : IValidateOptions<RuntimeOptions>
{
    private static readonly string[] Providers = ["auto", "cuda", "cpu"];

    public ValidateOptionsResult Validate(string? name, RuntimeOptions options)
    {
        var failures = new List<string>();
        if (options.Port is < 0 or > 65535)
        {
            failures.Add($"Runtime:Port must be 0..65535, got {options.Port}.");
        }

        if (string.IsNullOrWhiteSpace(options.ModelDirectory))
        {
            failures.Add("Runtime:ModelDirectory is required.");
        }

        if (!Providers.Contains(options.ExecutionProvider, StringComparer.OrdinalIgnoreCase))
        {
            failures.Add($"Runtime:ExecutionProvider must be one of {string.Join(", ", Providers)}, got '{options.ExecutionProvider}'.");
        }

        if (options.IntraOpThreads < 0)
        {
            failures.Add("Runtime:IntraOpThreads must not be negative.");
        }

        if (options.MaxConcurrentGenerations < 1)
        {
            failures.Add("Runtime:MaxConcurrentGenerations must be at least 1.");
        }

        if (options.MaxQueuedRequests < 0)
        {
            failures.Add("Runtime:MaxQueuedRequests must not be negative.");
        }

        if (options.KvCacheMemory is { } memory && (!ByteSize.TryParse(memory, out var bytes) || bytes <= 0))
        {
            failures.Add($"Runtime:KvCacheMemory must be a positive size such as 2GiB, 512MiB, 8G or a number of bytes, got '{memory}'.");
        }

        if (options.RetryAfterSeconds < 1)
        {
            failures.Add("Runtime:RetryAfterSeconds must be at least 1.");
        }

        if (options.DrainTimeout < TimeSpan.Zero)
        {
            failures.Add("Runtime:DrainTimeout must not be negative.");
        }
        else if (options.DrainTimeout + RuntimeOptions.ShutdownMargin > options.TerminationGracePeriod)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"Runtime:DrainTimeout ({options.DrainTimeout.TotalSeconds} s) plus {RuntimeOptions.ShutdownMargin.TotalSeconds} s to stop must fit within Runtime:TerminationGracePeriod ({options.TerminationGracePeriod.TotalSeconds} s, the pod's terminationGracePeriodSeconds); lower the drain timeout or raise both."));
        }

        if (options.MaxAdapterRank < 1)
        {
            failures.Add("Runtime:MaxAdapterRank must be at least 1.");
        }

        if (options.DefaultMaxTokens < 1)
        {
            failures.Add("Runtime:DefaultMaxTokens must be at least 1.");
        }

        if (options.MaxRequestBodyBytes < 1024)
        {
            failures.Add($"Runtime:MaxRequestBodyBytes must be at least 1024, got {options.MaxRequestBodyBytes}.");
        }

        if (!Templates.ChatTemplateSource.IsUsable(options.ChatTemplate))
        {
            failures.Add($"Runtime:ChatTemplate is neither an existing file nor a Jinja template: '{options.ChatTemplate}'.");
        }

        if (Generation.Engine.BatchingPlan.Parse(options.Batching) is null)
        {
            failures.Add($"Runtime:Batching must be one of auto, dynamic, static, off, got '{options.Batching}'.");
        }

        if (options.BatchGatherWindow < TimeSpan.Zero || options.BatchGatherWindow > TimeSpan.FromSeconds(1))
        {
            failures.Add($"Runtime:BatchGatherWindow must be within 00:00:00..00:00:01, got {options.BatchGatherWindow}.");
        }

        if (options.MaxBatchSize is < 1 or > 256)
        {
            failures.Add($"Runtime:MaxBatchSize must be 1..256, got {options.MaxBatchSize}.");
        }

        foreach (var (adapter, strength) in options.AdapterStrengths)
        {
            if (strength is < 0 or > 1 || double.IsNaN(strength))
            {
                failures.Add($"Runtime:AdapterStrengths:{adapter} must be within 0..1, got {strength}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
