using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kaito.Grains.EventLog;

/// <summary>The one JSON shape of stored events and snapshots: camelCase, enums by name, no type metadata.</summary>
public static class EventLogJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>A deep copy of <paramref name="state"/> through its stored shape: what a snapshot read back would be.</summary>
    public static TState Copy<TState>(TState state)
        where TState : class, new() =>
        JsonSerializer.Deserialize<TState>(JsonSerializer.Serialize(state, Options), Options) ?? new TState();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
