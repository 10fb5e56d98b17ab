using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;

namespace Kaito.Grains.EventLog;

/// <summary>
/// One event as one table row: RowKey <c>e</c> + 10-digit version; columns Version, Type (stable name), Data (JSON,
/// continued in Data1, Data2, ... when over 32K characters: <see cref="SplitColumn"/>), At, Generation, Cause, Actor,
/// Summary, so that the log can be read and queried without Orleans.
/// </summary>
public sealed class EventRowCodec<TEvent>(string kind, EventTypeRegistry<TEvent> registry)
    where TEvent : class, IAggregateEvent
{
    public const string EventRowPrefix = "e";
    public const string HeadRowKey = "head";

    /// <summary>The most JSON one event may have: what fits in one entity (1 MiB) split over <see cref="SplitColumn.MaxParts"/> columns.</summary>
    public const int MaxDataLength = SplitColumn.MaxLength;

    public string Kind { get; } = kind;

    public EventTypeRegistry<TEvent> Registry { get; } = registry;

    public static string RowKeyOf(int version) => EventRowPrefix + version.ToString("D10", CultureInfo.InvariantCulture);

    /// <summary>Encodes one event; one too big for a row is refused with <see cref="EventTooLargeException"/>.</summary>
    public TableEntity Encode(string partitionKey, int version, TEvent e)
    {
        var data = JsonSerializer.Serialize(e, e.GetType(), EventLogJson.Options);
        if (data.Length > MaxDataLength)
        {
            throw new EventTooLargeException(Kind, PartitionKeyEncoding.Decode(partitionKey), Registry.NameOf(e), data.Length, MaxDataLength);
        }

        var row = new TableEntity(partitionKey, RowKeyOf(version))
        {
            ["Version"] = version,
            ["Type"] = Registry.NameOf(e),
            ["At"] = e.Context.At,
            ["Generation"] = e.Context.Generation,
            ["Cause"] = e.Context.Cause,
            ["Actor"] = e.Context.Actor,
            ["Summary"] = Truncate(e.Describe(), 1024),
        };
        SplitColumn.Write(row, "Data", data);
        return row;
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

        var data = SplitColumn.Read(row, "Data");
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
