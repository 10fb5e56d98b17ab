namespace Kaito.ServiceBusBroker;

internal sealed record BrokerQueueSettings(int MaxDeliveryCount, TimeSpan LockDuration, DeliveryTags Tags);
