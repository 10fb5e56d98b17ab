using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Amqp.Types;

namespace Kaito.ServiceBusBroker;

/// <summary>An entity's $management node: renew-lock; every other operation answers 501.</summary>
internal sealed class ManagementRequestProcessor(ServiceBusBroker broker) : IRequestProcessor
{
    public int Credit => 100;

    public void Process(RequestContext requestContext)
    {
        var request = requestContext.Message;
        var operation = request.ApplicationProperties?["operation"] as string;
        if (operation == "com.microsoft:renew-lock" && request.Body is Map body && body[new Symbol("lock-tokens")] is Guid[] tokens)
        {
            var expirations = tokens.Select(t => broker.RenewLock(t) ?? DateTime.UtcNow).ToArray();
            requestContext.Complete(Response(request, 200, new Map { [new Symbol("expirations")] = expirations }));
            return;
        }

        requestContext.Complete(Response(request, 501, null));
    }

    private static Message Response(Message request, int status, object? body)
    {
        var response = new Message(body)
        {
            Properties = new Properties { CorrelationId = request.Properties?.MessageId },
            ApplicationProperties = new ApplicationProperties(),
        };
        response.ApplicationProperties["statusCode"] = status;
        response.ApplicationProperties["status-code"] = status;
        return response;
    }
}
