namespace Kaito.ServiceBusBroker;

/// <summary>One message in a queue: its encoded AMQP bytes and the broker's bookkeeping.</summary>
internal sealed class StoredMessage(byte[] encoded, long sequenceNumber, DateTime enqueuedAt)
{
    public byte[] Encoded { get; } = encoded;

    public long SequenceNumber { get; } = sequenceNumber;

    public DateTime EnqueuedAt { get; } = enqueuedAt;

    /// <summary>Deliveries that ended without completion (Service Bus's DeliveryCount minus one while locked).</summary>
    public int FailedDeliveries { get; set; }

    public Guid? LockToken { get; set; }

    public DateTime LockedUntil { get; set; }

    public string? DeadLetterReason { get; set; }

    public string? DeadLetterDescription { get; set; }
}
