namespace Kaito.Silo.ServiceBus;

/// <summary>A message that can never succeed: dead-lettered with <see cref="Reason"/> and the message as description.</summary>
public sealed class InvalidWorkspaceRequestException(string reason, string description) : Exception(description)
{
    public string Reason { get; } = reason;
}
