using Amqp;
using Amqp.Framing;
using Amqp.Types;

namespace Kaito.ServiceBusBroker;

/// <summary>
/// One queue (or dead-letter sub-queue): messages in sequence order, each available or locked by one consumer.
/// Dispatch runs on one thread at a time so that a consumer sees messages in order.
/// </summary>
internal sealed class BrokerQueue
{
    private readonly object _sync = new();
    private readonly SortedDictionary<long, StoredMessage> _available = [];
    private readonly Dictionary<Guid, (StoredMessage Message, ConsumerEndpoint Consumer)> _locked = [];
    private readonly List<ConsumerEndpoint> _consumers = [];
    private readonly BrokerQueueSettings _settings;
    private long _sequence;
    private bool _dispatching;
    private int _nextConsumer;

    public BrokerQueue(string name, BrokerQueueSettings settings, bool isDeadLetter = false)
    {
        Name = name;
        _settings = settings;
        DeadLetter = isDeadLetter ? this : new BrokerQueue(name + "/$DeadLetterQueue", settings, isDeadLetter: true);
    }

    public string Name { get; }

    public BrokerQueue DeadLetter { get; }

    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _available.Count + _locked.Count;
            }
        }
    }

    public void Enqueue(byte[] encoded) => Add(new StoredMessage(encoded, Interlocked.Increment(ref _sequence), DateTime.UtcNow));

    public void AddConsumer(ConsumerEndpoint consumer)
    {
        lock (_sync)
        {
            _consumers.Add(consumer);
        }
    }

    public void RemoveConsumer(ConsumerEndpoint consumer)
    {
        lock (_sync)
        {
            _consumers.Remove(consumer);
            foreach (var (token, entry) in _locked.Where(l => l.Value.Consumer == consumer).ToList())
            {
                _locked.Remove(token);
                Unlock(entry.Message, failed: true);
            }
        }

        Dispatch();
    }

    /// <summary>Completes the drain a consumer asked for when nothing is left to send it.</summary>
    public bool TryEndDrain(ConsumerEndpoint consumer)
    {
        lock (_sync)
        {
            if (_available.Count > 0 && !_dispatching)
            {
                return false;
            }

            consumer.Credit = 0;
            return true;
        }
    }

    /// <summary>Settles a locked message with the client's outcome; false when the lock is unknown (settled or lost).</summary>
    public bool Settle(Guid lockToken, DeliveryState? outcome)
    {
        lock (_sync)
        {
            if (!_locked.Remove(lockToken, out var entry))
            {
                return false;
            }

            switch (outcome)
            {
                case Accepted:
                    break;
                case Rejected rejected:
                    MoveToDeadLetter(entry.Message, Info(rejected.Error, "DeadLetterReason"), Info(rejected.Error, "DeadLetterErrorDescription"));
                    break;
                default:
                    Unlock(entry.Message, failed: true);
                    break;
            }
        }

        Dispatch();
        return true;
    }

    public DateTime? RenewLock(Guid lockToken)
    {
        lock (_sync)
        {
            if (!_locked.TryGetValue(lockToken, out var entry))
            {
                return null;
            }

            entry.Message.LockedUntil = DateTime.UtcNow + _settings.LockDuration;
            return entry.Message.LockedUntil;
        }
    }

    public void Dispatch()
    {
        lock (_sync)
        {
            if (_dispatching)
            {
                return;
            }

            _dispatching = true;
        }

        try
        {
            while (true)
            {
                StoredMessage message;
                ConsumerEndpoint consumer;
                lock (_sync)
                {
                    var next = _available.Count == 0 ? null : NextConsumer();
                    if (next is null)
                    {
                        _dispatching = false;
                        return;
                    }

                    consumer = next;
                    message = _available.First().Value;
                    _available.Remove(message.SequenceNumber);
                    consumer.Credit--;
                    message.LockToken = Guid.NewGuid();
                    message.LockedUntil = DateTime.UtcNow + _settings.LockDuration;
                    _locked[message.LockToken.Value] = (message, consumer);
                }

                consumer.Send(ToDelivery(message));
            }
        }
        catch
        {
            lock (_sync)
            {
                _dispatching = false;
            }

            throw;
        }
    }

    private void Add(StoredMessage message)
    {
        lock (_sync)
        {
            _available[message.SequenceNumber] = message;
        }

        Dispatch();
    }

    private void Unlock(StoredMessage message, bool failed)
    {
        message.LockToken = null;
        if (failed && ++message.FailedDeliveries >= _settings.MaxDeliveryCount && DeadLetter != this)
        {
            MoveToDeadLetter(message, "MaxDeliveryCountExceeded", $"Message could not be consumed after {_settings.MaxDeliveryCount} delivery attempts.");
            return;
        }

        _available[message.SequenceNumber] = message;
    }

    private void MoveToDeadLetter(StoredMessage message, string? reason, string? description)
    {
        var dead = new StoredMessage(message.Encoded, Interlocked.Increment(ref DeadLetter._sequence), DateTime.UtcNow)
        {
            DeadLetterReason = reason,
            DeadLetterDescription = description,
        };
        if (DeadLetter == this)
        {
            return;
        }

        ThreadPool.QueueUserWorkItem(_ => DeadLetter.Add(dead));
    }

    private ConsumerEndpoint? NextConsumer()
    {
        for (var i = 0; i < _consumers.Count; i++)
        {
            var candidate = _consumers[(_nextConsumer + i) % _consumers.Count];
            if (candidate.Credit > 0)
            {
                _nextConsumer = (_nextConsumer + i + 1) % _consumers.Count;
                return candidate;
            }
        }

        return null;
    }

    private Message ToDelivery(StoredMessage stored)
    {
        var message = Message.Decode(new ByteBuffer(stored.Encoded, 0, stored.Encoded.Length, stored.Encoded.Length));
        message.Header ??= new Header();
        message.Header.DeliveryCount = (uint)stored.FailedDeliveries;
        message.MessageAnnotations ??= new MessageAnnotations();
        message.MessageAnnotations[new Symbol("x-opt-locked-until")] = stored.LockedUntil;
        message.MessageAnnotations[new Symbol("x-opt-sequence-number")] = stored.SequenceNumber;
        message.MessageAnnotations[new Symbol("x-opt-enqueued-time")] = stored.EnqueuedAt;
        if (stored.DeadLetterReason is not null || stored.DeadLetterDescription is not null)
        {
            message.ApplicationProperties ??= new ApplicationProperties();
            message.ApplicationProperties["DeadLetterReason"] = stored.DeadLetterReason ?? "";
            message.ApplicationProperties["DeadLetterErrorDescription"] = stored.DeadLetterDescription ?? "";
        }

        _settings.Tags.Set(message, stored.LockToken!.Value);
        return message;
    }

    private static string? Info(Error? error, string key) =>
        error?.Info is { } info && info.TryGetValue(new Symbol(key), out var value) ? value?.ToString() : null;
}
