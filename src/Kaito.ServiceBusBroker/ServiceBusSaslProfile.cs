using Amqp;
using Amqp.Sasl;
using Amqp.Types;

namespace Kaito.ServiceBusBroker;

/// <summary>The client offers only MSSBCBS (authorisation follows on the $cbs node), so that is what the broker takes.</summary>
internal sealed class ServiceBusSaslProfile() : SaslProfile(new Symbol("MSSBCBS"))
{
    protected override ITransport UpgradeTransport(ITransport transport) => transport;

    protected override DescribedList GetStartCommand(string hostname) => null!;

    protected override DescribedList OnCommand(DescribedList command) =>
        command is SaslInit ? new SaslOutcome { Code = SaslCode.Ok } : null!;
}
