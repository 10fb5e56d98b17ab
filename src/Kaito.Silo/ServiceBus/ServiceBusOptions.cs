namespace Kaito.Silo.ServiceBus;

/// <summary>
/// The <c>ServiceBus</c> section: where Workspace requests come in and status goes out. Off without a connection string.
/// </summary>
public sealed class ServiceBusOptions
{
    public const string SectionName = "ServiceBus";

    /// <summary>Azure Service Bus, or the local stand-in (<c>...;UseDevelopmentEmulator=true</c>).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The queue of Workspace requests.</summary>
    public string IntakeQueue { get; set; } = "workspace-requests";

    /// <summary>The topic (or queue) status changes go to; none when empty.</summary>
    public string? StatusTopic { get; set; }

    /// <summary>The largest message body taken (bytes); a larger one is dead-lettered.</summary>
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Messages handled at once.</summary>
    public int MaxConcurrentCalls { get; set; } = 4;

    public bool Enabled => !string.IsNullOrWhiteSpace(ConnectionString);
}
