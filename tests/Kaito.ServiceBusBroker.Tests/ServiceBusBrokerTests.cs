using Azure.Messaging.ServiceBus;

namespace Kaito.ServiceBusBroker.Tests;

/// <summary>The real Azure.Messaging.ServiceBus client against the local stand-in.</summary>
public sealed class ServiceBusBrokerTests : IAsyncLifetime
{
    private readonly ServiceBusBroker _broker = ServiceBusBroker.StartOnFreePort(["requests"], ["status"], maxDeliveryCount: 3);
    private readonly ServiceBusClient _client;

    public ServiceBusBrokerTests() => _client = new ServiceBusClient(_broker.ConnectionString);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        _broker.Dispose();
    }

    [Fact]
    public async Task A_sent_message_is_received_with_its_properties_and_completed()
    {
        await using var sender = _client.CreateSender("requests");
        var sent = new ServiceBusMessage("hello") { MessageId = "m-1", Subject = "s", SessionId = "ns/a", CorrelationId = "c-1" };
        sent.ApplicationProperties["kaito-operation"] = "apply";
        await sender.SendMessageAsync(sent);

        await using var receiver = _client.CreateReceiver("requests");
        var got = await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(got);
        Assert.Equal(("hello", "m-1", "s", "ns/a", "c-1", "apply", 1), (got.Body.ToString(), got.MessageId, got.Subject, got.SessionId, got.CorrelationId, (string)got.ApplicationProperties["kaito-operation"], got.DeliveryCount));
        Assert.NotEqual(Guid.Empty.ToString(), got.LockToken);
        await receiver.CompleteMessageAsync(got);
        Assert.Equal(0, _broker.CountMessages("requests"));
    }

    [Fact]
    public async Task An_abandoned_message_comes_back_and_a_dead_lettered_one_keeps_its_reason()
    {
        await using var sender = _client.CreateSender("requests");
        await sender.SendMessageAsync(new ServiceBusMessage("x") { MessageId = "m-2" });
        await using var receiver = _client.CreateReceiver("requests");
        var first = await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10));
        await receiver.AbandonMessageAsync(first);
        var second = await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, second.DeliveryCount);
        await receiver.DeadLetterMessageAsync(second, "BadSpec", "gpu count missing");

        await using var dlq = _client.CreateReceiver("requests", new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        var dead = await dlq.ReceiveMessageAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(("m-2", "BadSpec", "gpu count missing"), (dead.MessageId, dead.DeadLetterReason, dead.DeadLetterErrorDescription));
        await dlq.CompleteMessageAsync(dead);
    }

    [Fact]
    public async Task A_batch_and_a_topic_subscription_deliver_in_order()
    {
        await using var sender = _client.CreateSender("status");
        using var batch = await sender.CreateMessageBatchAsync();
        for (var i = 0; i < 5; i++)
        {
            Assert.True(batch.TryAddMessage(new ServiceBusMessage($"{i}")));
        }

        await sender.SendMessagesAsync(batch);
        await using var receiver = _client.CreateReceiver("status", "kaito");
        var bodies = new List<string>();
        while (bodies.Count < 5)
        {
            foreach (var m in await receiver.ReceiveMessagesAsync(5, TimeSpan.FromSeconds(10)))
            {
                bodies.Add(m.Body.ToString());
                await receiver.CompleteMessageAsync(m);
            }
        }

        Assert.Equal(["0", "1", "2", "3", "4"], bodies);
    }

    [Fact]
    public async Task A_processor_whose_handler_always_throws_moves_the_message_to_the_dead_letter_queue()
    {
        await using var sender = _client.CreateSender("requests");
        await sender.SendMessageAsync(new ServiceBusMessage("poison") { MessageId = "p" });
        await sender.SendMessageAsync(new ServiceBusMessage("fine") { MessageId = "f" });
        var completed = new TaskCompletionSource<string>();
        await using var processor = _client.CreateProcessor("requests", new ServiceBusProcessorOptions { MaxConcurrentCalls = 1 });
        processor.ProcessMessageAsync += args =>
        {
            if (args.Message.MessageId == "p")
            {
                throw new InvalidOperationException("poison");
            }

            completed.TrySetResult(args.Message.MessageId);
            return Task.CompletedTask;
        };
        processor.ProcessErrorAsync += _ => Task.CompletedTask;
        await processor.StartProcessingAsync();
        Assert.Equal("f", await completed.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        await using var dlq = _client.CreateReceiver("requests", new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        var dead = await dlq.ReceiveMessageAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(("p", "MaxDeliveryCountExceeded"), (dead.MessageId, dead.DeadLetterReason));
        await processor.StopProcessingAsync();
    }

    [Fact]
    public async Task An_empty_receive_returns_null_after_its_wait()
    {
        await using var receiver = _client.CreateReceiver("requests");
        Assert.Null(await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(1)));
    }
}
