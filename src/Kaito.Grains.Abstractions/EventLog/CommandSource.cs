namespace Kaito.Grains.EventLog;

/// <summary>Who sends a command or an observation, and why; becomes the actor and cause of the events it raises.</summary>
/// <param name="Actor">See <see cref="Actors"/>: the Kubernetes watch, a Service Bus message id, the API, the reconciler.</param>
/// <param name="Cause">A short reason, e.g. <c>watch:modified</c> or <c>api:apply</c>.</param>
[GenerateSerializer, Immutable, Alias("kaito.commandSource")]
public sealed record CommandSource(string Actor, string Cause)
{
    public static CommandSource Reconciler(string cause) => new(Actors.Reconciler, cause);
}
