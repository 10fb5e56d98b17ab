namespace Kaito.Grains.EventLog;

/// <summary>
/// What every event records besides its payload: when it happened, the spec generation it belongs to,
/// the cause (the command or observation that led to it) and the actor (who or what sent that command).
/// </summary>
[GenerateSerializer, Immutable, Alias("kaito.eventContext")]
public sealed record EventContext(DateTimeOffset At, long Generation, string Cause, string Actor);
