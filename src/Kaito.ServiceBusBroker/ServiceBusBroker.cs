using System.Net;
using System.Net.Sockets;
using Amqp;
using Amqp.Listener;
using Amqp.Types;

namespace Kaito.ServiceBusBroker;

/// <summary>
/// A local stand-in for Azure Service Bus: an AMQP 1.0 broker on 127.0.0.1 that the real Azure.Messaging.ServiceBus
/// client accepts with <c>UseDevelopmentEmulator=true</c>. Queues with peek-lock, complete, abandon, dead-letter (and
/// the dead-letter sub-queue), renew-lock and MaxDeliveryCount; a topic is a queue that every subscription name reads.
/// For tests and the local stack only: production uses Azure Service Bus.
/// </summary>
public sealed class ServiceBusBroker : IDisposable
{
    /// <summary>The largest message a sender may send (the client reads it from the attach).</summary>
    public const ulong MaxMessageSize = 4 * 1024 * 1024;

    private readonly ContainerHost _host;
    private readonly Dictionary<string, BrokerQueue> _entities = new(StringComparer.OrdinalIgnoreCase);
    private readonly DeliveryTags _tags = new();

    public ServiceBusBroker(int port, IEnumerable<string> queues, IEnumerable<string>? topics = null, int maxDeliveryCount = 10, TimeSpan? lockDuration = null)
    {
        Port = port;
        var settings = new BrokerQueueSettings(maxDeliveryCount, lockDuration ?? TimeSpan.FromSeconds(60), _tags);
        foreach (var name in queues.Concat(topics ?? []).Select(n => n.Trim()).Where(n => n.Length > 0))
        {
            _entities[name] = new BrokerQueue(name, settings);
        }

        _host = new ContainerHost(new Address($"amqp://127.0.0.1:{port}"));
        var listener = _host.Listeners[0];
        listener.SASL.EnableMechanism(new Symbol("MSSBCBS"), new ServiceBusSaslProfile());
        listener.HandlerFactory = _ => _tags;
        listener.AMQP.MaxFrameSize = 256 * 1024;
        _host.RegisterRequestProcessor("$cbs", new CbsRequestProcessor());
        var management = new ManagementRequestProcessor(this);
        foreach (var name in _entities.Keys)
        {
            _host.RegisterRequestProcessor($"{name}/$management", management);
            _host.RegisterRequestProcessor($"/{name}/$management", management);
        }

        _host.RegisterLinkProcessor(new BrokerLinkProcessor(this));
    }

    public int Port { get; }

    /// <summary>What the real client takes: <c>new ServiceBusClient(broker.ConnectionString)</c>.</summary>
    public string ConnectionString =>
        $"Endpoint=sb://127.0.0.1:{Port};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=local;UseDevelopmentEmulator=true";

    public IReadOnlyCollection<string> Entities => _entities.Keys;

    /// <summary>Starts a broker on a free loopback port.</summary>
    public static ServiceBusBroker StartOnFreePort(IEnumerable<string> queues, IEnumerable<string>? topics = null, int maxDeliveryCount = 10)
    {
        var broker = new ServiceBusBroker(FreePort(), queues, topics, maxDeliveryCount);
        broker.Start();
        return broker;
    }

    public void Start() => _host.Open();

    /// <summary>Messages waiting or locked in a queue (or its dead-letter sub-queue).</summary>
    public int CountMessages(string entity, bool deadLetter = false)
    {
        var queue = _entities[entity];
        return (deadLetter ? queue.DeadLetter : queue).Count;
    }

    public void Dispose() => _host.Close();

    /// <summary>
    /// The queue an AMQP address names: <c>/q</c>, <c>/q/$DeadLetterQueue</c>, <c>/topic/Subscriptions/any</c>
    /// (a topic has one message stream; every subscription reads it).
    /// </summary>
    internal BrokerQueue? Resolve(string? address)
    {
        if (address is null)
        {
            return null;
        }

        var parts = address.Trim('/').Split('/');
        if (!_entities.TryGetValue(parts[0], out var queue))
        {
            return null;
        }

        var rest = parts.Skip(1).ToList();
        if (rest.Count >= 2 && rest[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase))
        {
            rest.RemoveRange(0, 2);
        }

        return rest switch
        {
            [] => queue,
            [var sub] when sub.Equals("$DeadLetterQueue", StringComparison.OrdinalIgnoreCase) => queue.DeadLetter,
            _ => null,
        };
    }

    internal DateTime? RenewLock(Guid lockToken) =>
        _entities.Values.SelectMany(q => new[] { q, q.DeadLetter }).Select(q => q.RenewLock(lockToken)).FirstOrDefault(d => d is not null);

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
