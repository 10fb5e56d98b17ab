using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Messaging.ServiceBus;
using Kaito.CrdBridge.Watching;
using Kaito.Grains.Ports;
using Kaito.Grains.Workspaces;

namespace Kaito.Silo.ServiceBus;

/// <summary>
/// Publishes each status change to the status topic after the inner publisher (the Kubernetes status subresource)
/// wrote it: session id <c>namespace/name</c> (in order per workspace), correlation id the request id the workspace
/// carries (<see cref="RequestAnnotations.RequestId"/>), subject the phase, the phase and conditions as the JSON body.
/// </summary>
public sealed class ServiceBusStatusPublisher(IWorkspaceStatusPublisher inner, ServiceBusSender sender, WorkspaceObjectCache objects) : IWorkspaceStatusPublisher
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public async Task PublishAsync(WorkspaceView view, CancellationToken cancellationToken = default)
    {
        await inner.PublishAsync(view, cancellationToken);
        var key = WorkspaceKey.Parse(view.Key);
        var body = new WorkspaceStatusMessage(key.Namespace, key.Name, key.Uid, view.Phase.ToString(), view.Generation, view.Revision, view.Version,
            view.Conditions, view.FailureReason, view.FailureMessage, view.RejectionMessage, view.UpdatedAt);
        var message = new ServiceBusMessage(JsonSerializer.SerializeToUtf8Bytes(body, Json))
        {
            MessageId = $"{view.Key}/{view.Version}",
            SessionId = key.ObjectName,
            CorrelationId = RequestIdOf(key),
            Subject = view.Phase.ToString(),
            ContentType = "application/json",
        };
        await sender.SendMessageAsync(message, cancellationToken);
    }

    private string? RequestIdOf(WorkspaceKey key) =>
        objects.Find(key.Namespace, key.Name)?["metadata"]?["annotations"]?[RequestAnnotations.RequestId]?.GetValue<string>();
}
