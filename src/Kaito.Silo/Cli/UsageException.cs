namespace Kaito.Silo.Cli;

/// <summary>The command line is wrong: the message says how, and the verb's usage follows it.</summary>
public sealed class UsageException(string message, string usage) : Exception(message)
{
    public string Usage { get; } = usage;
}
