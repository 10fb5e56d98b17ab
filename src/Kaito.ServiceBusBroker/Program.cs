using Kaito.ServiceBusBroker;

// kaito-servicebus-broker --port 5672 --queues workspace-requests --topics workspace-status
var port = 5672;
var queues = new List<string>();
var topics = new List<string>();
var maxDeliveryCount = 10;
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--port" when int.TryParse(value, out var p):
            port = p;
            i++;
            break;
        case "--queues" when value is not null:
            queues.AddRange(value.Split(','));
            i++;
            break;
        case "--topics" when value is not null:
            topics.AddRange(value.Split(','));
            i++;
            break;
        case "--max-delivery-count" when int.TryParse(value, out var m):
            maxDeliveryCount = m;
            i++;
            break;
        case "-h" or "--help":
            Console.WriteLine("usage: kaito-servicebus-broker [--port 5672] [--queues a,b] [--topics t] [--max-delivery-count 10]");
            Console.WriteLine("A local stand-in for Azure Service Bus on 127.0.0.1 (see docs/servicebus.md).");
            return 0;
        default:
            Console.Error.WriteLine($"kaito-servicebus-broker: unknown or incomplete option '{args[i]}' (try --help)");
            return 2;
    }
}

using var broker = new ServiceBusBroker(port, queues, topics, maxDeliveryCount);
broker.Start();
Console.WriteLine($"listening on 127.0.0.1:{port}; entities: {string.Join(", ", broker.Entities)}");
Console.WriteLine(broker.ConnectionString);
var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.TrySetResult();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.TrySetResult();
await stop.Task;
return 0;
