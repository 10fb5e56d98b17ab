using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;

namespace Kaito.CrdBridge.Events;

/// <summary>What <see cref="EventCorrelator"/> decided to write: a new Event, or a patch of an existing one.</summary>
/// <param name="Key">The correlator's key for it, to hand back with the stored Event.</param>
/// <param name="UpdatesExisting">Patch <see cref="Event"/>'s count, lastTimestamp and message instead of creating it.</param>
public sealed record CorrelatedEvent(Corev1Event Event, string Key, bool UpdatesExisting)
{
    /// <summary>The strategic merge patch client-go sends for a repeated Event: the fields that change.</summary>
    public string Patch() => new JsonObject
    {
        ["count"] = Event.Count,
        ["lastTimestamp"] = Event.LastTimestamp?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["message"] = Event.Message,
    }.ToJsonString();
}
