using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Amqp.Types;

namespace Kaito.ServiceBusBroker;

/// <summary>Attaches client links to queues: a client receiver reads a queue, a client sender writes one.</summary>
internal sealed class BrokerLinkProcessor(ServiceBusBroker broker) : ILinkProcessor
{
    private static readonly Symbol SessionFilter = new("com.microsoft:session-filter");

    public void Process(AttachContext attachContext)
    {
        var attach = attachContext.Attach;
        attach.MaxMessageSize = ServiceBusBroker.MaxMessageSize;
        if (attach.Role)
        {
            var source = attach.Source as Source;
            if (source?.FilterSet is { } filters && filters.ContainsKey(SessionFilter))
            {
                attachContext.Complete(new Error(ErrorCode.NotImplemented) { Description = "The local Service Bus stand-in does not support session receivers." });
                return;
            }

            if (broker.Resolve(source?.Address) is not { } queue)
            {
                attachContext.Complete(NotFound(source?.Address));
                return;
            }

            var consumer = new ConsumerEndpoint(queue, attachContext.Link);
            queue.AddConsumer(consumer);
            attachContext.Complete(consumer, 0);
            return;
        }

        var target = attach.Target as Target;
        if (broker.Resolve(target?.Address) is not { } destination)
        {
            attachContext.Complete(NotFound(target?.Address));
            return;
        }

        attachContext.Complete(new ProducerEndpoint(destination), 300);
    }

    private static Error NotFound(string? address) =>
        new(ErrorCode.NotFound) { Description = $"The messaging entity '{address}' could not be found." };
}
