using System.Runtime.CompilerServices;
using Amqp;
using Amqp.Handler;

namespace Kaito.ServiceBusBroker;

/// <summary>
/// Service Bus clients read a message's lock token from its delivery tag, a 16-byte Guid; AMQPNetLite writes 4-byte
/// counters, so the tag is replaced as each delivery is sent.
/// </summary>
internal sealed class DeliveryTags : IHandler
{
    private readonly ConditionalWeakTable<Message, byte[]> _tags = new();

    public void Set(Message message, Guid lockToken) => _tags.AddOrUpdate(message, lockToken.ToByteArray());

    public static Guid? LockTokenOf(Message message) =>
        message.DeliveryTag is { Length: 16 } tag ? new Guid(tag) : null;

    public bool CanHandle(EventId id) => id == EventId.SendDelivery;

    public void Handle(Event protocolEvent)
    {
        if (protocolEvent.Context is IDelivery delivery && delivery.Message is { } message && _tags.TryGetValue(message, out var tag))
        {
            delivery.Tag = tag;
        }
    }
}
