using Amqp;
using Amqp.Framing;
using Amqp.Listener;

namespace Kaito.ServiceBusBroker;

/// <summary>A client's receiving link: sends what its credit allows and settles what the client disposes.</summary>
internal sealed class ConsumerEndpoint(BrokerQueue queue, ListenerLink link) : LinkEndpoint
{
    /// <summary>Credit the client granted and the broker has not used; guarded by the queue.</summary>
    public int Credit { get; set; }

    public void Send(Message message) => link.SendMessage(message);

    public override void OnFlow(FlowContext flowContext)
    {
        lock (this)
        {
            Credit = Math.Max(0, Credit + flowContext.Messages);
        }

        queue.Dispatch();
        if (flowContext.Link.IsDraining && queue.TryEndDrain(this))
        {
            flowContext.Link.CompleteDrain();
        }
    }

    public override void OnDisposition(DispositionContext dispositionContext)
    {
        var token = DeliveryTags.LockTokenOf(dispositionContext.Message);
        if (token is not null)
        {
            queue.Settle(token.Value, dispositionContext.DeliveryState);
        }

        if (!dispositionContext.Settled)
        {
            // Peek-lock settles in the second mode: the client waits for the broker's settled outcome. A Rejected
            // with an error would make the client throw, so the dead-letter reply carries none.
            DeliveryState reply = dispositionContext.DeliveryState switch
            {
                Rejected => new Rejected(),
                Accepted => new Accepted(),
                { } other => other,
                null => new Accepted(),
            };
            dispositionContext.Link.DisposeMessage(dispositionContext.Message, reply, true);
        }
    }

    public override void OnLinkClosed(ListenerLink link, Error error) => queue.RemoveConsumer(this);
}
