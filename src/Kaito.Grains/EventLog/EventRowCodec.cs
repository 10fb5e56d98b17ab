using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;

namespace Kaito.Grains.EventLog;

/// <summary>
/// One event as one table row: RowKey <c>e</c> + 10-digit version; columns Version, Type (stable name), Data (JSON),
/// At, Generation, Cause, Actor, Summary, so that the log can be read and queried without Orleans.
/// </summary>
public sealed class EventRowCodec<TEvent>(string kind, EventTypeRegistry<TEvent> registry)
    where TEvent : class, IAggregateEvent
{
    public const string EventRowPrefix = "e";
    public const string HeadRowKey = "head";

    /// <summary>Azure Table's limit for one string property is 64 KiB, i.e. 32K UTF-16 characters.</summary>
    public const int MaxDataLength = 32 * 1024;

    public string Kind { get; } = kind;

    public EventTypeRegistry<TEvent> Registry { get; } = registry;

    public static string RowKeyOf(int version) => EventRowPrefix + version.ToString("D10", CultureInfo.InvariantCulture);

    public TableEntity Encode(string partitionKey, int version, TEvent e)
    {
        var data = JsonSerializer.Serialize(e, e.GetType(), EventLogJson.Options);
        if (data.Length > MaxDataLength)
        {
            throw new ArgumentException($"{Registry.NameOf(e)} at version {version} is {data.Length} characters of JSON; a row holds at most {MaxDataLength}.");
        }

        return new TableEntity(partitionKey, RowKeyOf(version))
        {
            ["Version"] = version,
            ["Type"] = Registry.NameOf(e),
            ["Data"] = data,
            ["At"] = e.Context.At,
            ["Generation"] = e.Context.Generation,
            ["Cause"] = e.Context.Cause,
            ["Actor"] = e.Context.Actor,
            ["Summary"] = Truncate(e.Describe(), 1024),
        };
    }

    /// <summary>Reads one event row; any problem becomes an <see cref="EventLogCorruptedException"/> naming the aggregate and version.</summary>
    public TEvent Decode(string aggregateId, int version, TableEntity row)
    {
        var type = row.GetString("Type");
        if (string.IsNullOrEmpty(type))
        {
            throw new EventLogCorruptedException(Kind, aggregateId, version, "the row has no Type");
        }

        if (!Registry.TryGetType(type, out var clrType))
        {
            throw new EventLogCorruptedException(Kind, aggregateId, version, $"unknown event type '{type}'");
        }

        var data = row.GetString("Data");
        if (string.IsNullOrEmpty(data))
        {
            throw new EventLogCorruptedException(Kind, aggregateId, version, $"the '{type}' row has no Data");
        }

        try
        {
            return JsonSerializer.Deserialize(data, clrType, EventLogJson.Options) as TEvent
                ?? throw new EventLogCorruptedException(Kind, aggregateId, version, $"the '{type}' row holds null");
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException)
        {
            throw new EventLogCorruptedException(Kind, aggregateId, version, $"the '{type}' row is not valid JSON for that type: {ex.Message}", ex);
        }
    }

    public static AuditEntry ToAuditEntry(TableEntity row) => new(
        row.GetInt32("Version") ?? ParseVersion(row.RowKey),
        row.GetDateTimeOffset("At") ?? row.Timestamp ?? DateTimeOffset.MinValue,
        row.GetString("Type") ?? "(none)",
        row.GetInt64("Generation") ?? 0,
        row.GetString("Cause") ?? "",
        row.GetString("Actor") ?? "",
        row.GetString("Summary") ?? "");

    public static int ParseVersion(string rowKey) =>
        rowKey.StartsWith(EventRowPrefix, StringComparison.Ordinal)
        && int.TryParse(rowKey.AsSpan(EventRowPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1;

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
