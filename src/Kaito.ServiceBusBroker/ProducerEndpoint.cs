using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Amqp.Types;

namespace Kaito.ServiceBusBroker;

/// <summary>A client's sending link: each message (or each message of a batch) goes to the queue.</summary>
internal sealed class ProducerEndpoint(BrokerQueue queue) : LinkEndpoint
{
    private const uint BatchFormat = 0x80013700;

    public override void OnMessage(MessageContext messageContext)
    {
        var message = messageContext.Message;
        if (message.Format == BatchFormat)
        {
            foreach (var data in Sections(message.BodySection))
            {
                queue.Enqueue(data.Binary);
            }
        }
        else
        {
            var buffer = message.Encode();
            queue.Enqueue(buffer.Buffer.AsSpan(buffer.Offset, buffer.Length).ToArray());
        }

        messageContext.Complete();
    }

    public override void OnFlow(FlowContext flowContext)
    {
    }

    public override void OnDisposition(DispositionContext dispositionContext) => dispositionContext.Complete();

    private static IEnumerable<Data> Sections(RestrictedDescribed? body) => body switch
    {
        Data data => [data],
        DataList list => Enumerable.Range(0, list.Count).Select(i => list[i]),
        _ => [],
    };
}
