using Amqp;
using Amqp.Framing;
using Amqp.Listener;

namespace Kaito.ServiceBusBroker;

/// <summary>Claims-based security: every put-token is accepted (the stand-in has no keys to check).</summary>
internal sealed class CbsRequestProcessor : IRequestProcessor
{
    public int Credit => 100;

    public void Process(RequestContext requestContext)
    {
        var response = new Message
        {
            Properties = new Properties { CorrelationId = requestContext.Message.Properties?.MessageId },
            ApplicationProperties = new ApplicationProperties(),
        };
        response.ApplicationProperties["status-code"] = 200;
        response.ApplicationProperties["status-description"] = "OK";
        requestContext.Complete(response);
    }
}
