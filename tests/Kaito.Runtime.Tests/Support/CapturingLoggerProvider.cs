using Microsoft.Extensions.Logging;

namespace Kaito.Runtime.Tests.Support;

/// <summary>Keeps every formatted message logged through the server's logging, whatever the category, in one <see cref="CapturingLogger{T}"/>.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly CapturingLogger<CapturingLoggerProvider> _logger = new();

    /// <summary>A copy of the messages so far.</summary>
    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_logger.Messages)
            {
                return [.. _logger.Messages];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => _logger;

    public void Dispose()
    {
    }
}
