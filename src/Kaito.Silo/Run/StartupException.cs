namespace Kaito.Silo.Run;

/// <summary>A setting keeps <c>kaito run</c> from starting; the message names the setting and the reason.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
