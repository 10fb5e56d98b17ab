namespace Kaito.Silo.Cli;

/// <summary>The command line is wrong: the message says how; the verb's help follows it on stderr (exit 2).</summary>
public sealed class UsageException(string message) : Exception(message);
