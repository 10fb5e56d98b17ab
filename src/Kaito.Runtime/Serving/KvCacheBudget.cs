using System.Globalization;
using Microsoft.Extensions.Options;

namespace Kaito.Runtime.Serving;

/// <summary>
/// How many tokens of KV cache the server may hold at once: <c>Runtime:KvCacheMemory</c> divided by the model's bytes
/// per token (<see cref="KvCacheLayout"/>). Worked out on first use, once the model folder is there, and logged.
/// Without a configured size it is half of the memory available to the process after the model's weights.
/// </summary>
public sealed partial class KvCacheBudget
{
    private readonly Lazy<(KvCacheLayout Layout, long MemoryBytes)> _value;

    public KvCacheBudget(IOptions<RuntimeOptions> options, ILogger<KvCacheBudget> logger) =>
        _value = new(() => Resolve(options.Value, logger));

    /// <summary>A fixed budget (tests, tools).</summary>
    public KvCacheBudget(KvCacheLayout layout, long memoryBytes) => _value = new((layout, memoryBytes));

    public bool IsResolved => _value.IsValueCreated;

    public KvCacheLayout Layout => _value.Value.Layout;

    public long MemoryBytes => _value.Value.MemoryBytes;

    public long BytesPerToken => Layout.BytesPerToken;

    /// <summary>Tokens of KV cache that fit in the budget, across all running generations.</summary>
    public long Tokens => MemoryBytes / BytesPerToken;

    private static (KvCacheLayout, long) Resolve(RuntimeOptions options, ILogger logger)
    {
        var layout = KvCacheLayout.Read(options.ModelDirectory);
        long memory;
        string source;
        if (options.KvCacheMemory is { } configured)
        {
            // The validator has checked the format at start.
            ByteSize.TryParse(configured, out memory);
            source = "Runtime:KvCacheMemory";
        }
        else
        {
            var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
            var weights = WeightBytes(options.ModelDirectory);
            memory = (available - weights) / 2;
            source = string.Create(CultureInfo.InvariantCulture,
                $"default: half of {ByteSize.Format(available)} available after {ByteSize.Format(weights)} of weights");
            if (memory < layout.BytesPerToken)
            {
                throw new InvalidOperationException(
                    $"No memory is left for the KV cache ({source}); set Runtime:KvCacheMemory.");
            }
        }

        LogBudget(logger, memory / layout.BytesPerToken, ByteSize.Format(memory), source, layout.ToString());
        return (layout, memory);
    }

    private static long WeightBytes(string directory) =>
        Directory.EnumerateFiles(directory)
            .Where(f => f.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".data", StringComparison.OrdinalIgnoreCase))
            .Sum(f => new FileInfo(f).Length);

    [LoggerMessage(Level = LogLevel.Information, Message = "KV cache budget: {Tokens} tokens in {Memory} ({Source}); {Layout}")]
    private static partial void LogBudget(ILogger logger, long tokens, string memory, string source, string layout);
}
