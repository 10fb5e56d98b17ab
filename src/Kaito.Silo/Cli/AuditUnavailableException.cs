namespace Kaito.Silo.Cli;

/// <summary>The audit API refused or could not answer (exit 1, the reason on stderr).</summary>
public sealed class AuditUnavailableException(string message) : Exception(message);
