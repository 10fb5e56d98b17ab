using System.Net;
using System.Net.Sockets;
using Azure.Messaging.ServiceBus;
using k8s.Autorest;
using Kaito.Grains.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kaito.Silo.ServiceBus;

/// <summary>
/// The Service Bus way in: a processor on the intake queue. Completes what was carried out (or was already), dead-letters
/// what can never succeed with the reason, abandons on a transient failure (the API server down, 5xx, 429) so that the
/// message comes back, until MaxDeliveryCount moves it to the dead-letter queue: a poison message never blocks the queue.
/// </summary>
public sealed partial class ServiceBusIntake(
    ServiceBusClient client, IOptions<ServiceBusOptions> options, WorkspaceRequestHandler handler, ILogger<ServiceBusIntake> logger) : IHostedService, IAsyncDisposable
{
    private const int MaxDescriptionLength = 4000;
    private ServiceBusProcessor? _processor;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _processor = client.CreateProcessor(options.Value.IntakeQueue, new ServiceBusProcessorOptions
        {
            AutoCompleteMessages = false,
            MaxConcurrentCalls = options.Value.MaxConcurrentCalls,
            ReceiveMode = ServiceBusReceiveMode.PeekLock,
        });
        _processor.ProcessMessageAsync += ProcessAsync;
        _processor.ProcessErrorAsync += args =>
        {
            LogReceiveError(args.EntityPath, args.ErrorSource.ToString(), args.Exception);
            return Task.CompletedTask;
        };
        await _processor.StartProcessingAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_processor is not null)
        {
            await _processor.StopProcessingAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_processor is not null)
        {
            await _processor.DisposeAsync();
        }
    }

    private async Task ProcessAsync(ProcessMessageEventArgs args)
    {
        var message = args.Message;
        try
        {
            var request = WorkspaceRequestReader.Read(message.Body.ToMemory(), message.ApplicationProperties, message.MessageId, options.Value.MaxBodyBytes);
            var outcome = await handler.HandleAsync(request, args.CancellationToken);
            await args.CompleteMessageAsync(message, args.CancellationToken);
            Count(outcome switch
            {
                WorkspaceRequestOutcome.Applied => "applied",
                WorkspaceRequestOutcome.Deleted => "deleted",
                _ => "duplicate",
            });
            LogHandled(message.MessageId, request.Operation.ToString(), $"{request.Namespace}/{request.Name}", outcome.ToString());
        }
        catch (InvalidWorkspaceRequestException ex)
        {
            var description = ex.Message.Length > MaxDescriptionLength ? ex.Message[..MaxDescriptionLength] : ex.Message;
            await args.DeadLetterMessageAsync(message, ex.Reason, description, args.CancellationToken);
            Count("dead-lettered");
            LogDeadLettered(message.MessageId, ex.Reason, description);
        }
        catch (Exception ex) when (IsTransient(ex))
        {
            await args.AbandonMessageAsync(message, cancellationToken: args.CancellationToken);
            Count("abandoned");
            LogAbandoned(message.MessageId, message.DeliveryCount, ex.Message);
        }
        catch (HttpOperationException ex)
        {
            // The API server refused the object (a webhook, the schema): it will refuse it again.
            var description = $"the API server answered {(int)ex.Response.StatusCode}: {ex.Response.Content}";
            description = description.Length > MaxDescriptionLength ? description[..MaxDescriptionLength] : description;
            await args.DeadLetterMessageAsync(message, "RejectedByApiServer", description, args.CancellationToken);
            Count("dead-lettered");
            LogDeadLettered(message.MessageId, "RejectedByApiServer", description);
        }
    }

    /// <summary>kaito_servicebus_messages_total: duplicate is a request carried out already (a redelivery) or a delete with nothing to delete.</summary>
    private static void Count(string outcome) => KaitoMetrics.ServiceBusMessages.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Worth another try: the API server unreachable, overloaded, throttling, or a write conflict.</summary>
    public static bool IsTransient(Exception ex) => ex switch
    {
        HttpOperationException http => http.Response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.Conflict
            or HttpStatusCode.RequestTimeout || (int)http.Response.StatusCode >= 500,
        HttpRequestException or SocketException or TimeoutException => true,
        TaskCanceledException => true,
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Service Bus message {MessageId}: {Operation} {Workspace} -> {Outcome}")]
    private partial void LogHandled(string messageId, string operation, string workspace, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Service Bus message {MessageId} dead-lettered: {Reason}: {Description}")]
    private partial void LogDeadLettered(string messageId, string reason, string description);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Service Bus message {MessageId} abandoned after delivery {DeliveryCount}, to be retried: {Error}")]
    private partial void LogAbandoned(string messageId, int deliveryCount, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Service Bus {EntityPath} ({Source}) failed")]
    private partial void LogReceiveError(string entityPath, string source, Exception exception);
}
