using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kaito.Grains.EventLog;

/// <summary>The one JSON shape of stored events and snapshots: camelCase, enums by name, no type metadata.</summary>
public static class EventLogJson
{
    public static JsonSerializerOptions Options { get; } = Create();

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
