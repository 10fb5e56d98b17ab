using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s.Models;
using Kaito.Api.Validation;

namespace Kaito.Api.Serialization;

/// <summary>
/// Checks a JSON tree against the C# type it will be read into and reports every wrong type and unknown field at
/// once, with its path. System.Text.Json alone stops at the first problem and names CLR types.
/// </summary>
public static class JsonShapeChecker
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, Type>> PropertyCache = new();

    public static IReadOnlyList<FieldError> Check(JsonNode? node, Type type)
    {
        var errors = new List<FieldError>();
        Check(node, type, "", errors);
        return errors;
    }

    private static void Check(JsonNode? node, Type type, string path, List<FieldError> errors)
    {
        if (node is null)
        {
            return;
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        var kind = node.GetValueKind();
        switch (Classify(type))
        {
            case Shape.Any:
                return;
            case Shape.String:
                Expect(kind is JsonValueKind.String, "a string", kind, path, errors);
                return;
            case Shape.Integer:
                Expect(kind is JsonValueKind.Number && node.AsValue().TryGetValue<long>(out _), "an integer", kind, path, errors);
                return;
            case Shape.Number:
                Expect(kind is JsonValueKind.Number, "a number", kind, path, errors);
                return;
            case Shape.Boolean:
                Expect(kind is JsonValueKind.True or JsonValueKind.False, "true or false", kind, path, errors);
                return;
            case Shape.StringOrNumber:
                Expect(kind is JsonValueKind.String or JsonValueKind.Number, "a string or a number", kind, path, errors);
                return;
            case Shape.Quantity:
                if (Expect(kind is JsonValueKind.String or JsonValueKind.Number, "a quantity such as 16Gi", kind, path, errors)
                    && !IsQuantity(node.ToString()))
                {
                    errors.Add(new FieldError(PathOrRoot(path), $"\"{node}\" is not a Kubernetes quantity (e.g. 16Gi, 500m)"));
                }

                return;
            case Shape.Timestamp:
                if (Expect(kind is JsonValueKind.String, "an RFC 3339 time", kind, path, errors)
                    && !DateTimeOffset.TryParse(node.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
                {
                    errors.Add(new FieldError(PathOrRoot(path), $"\"{node}\" is not an RFC 3339 time (e.g. 2026-11-28T10:00:00Z)"));
                }

                return;
            case Shape.Map:
                if (Expect(kind is JsonValueKind.Object, "an object", kind, path, errors))
                {
                    var valueType = type.GetGenericArguments()[1];
                    foreach (var (key, value) in node.AsObject())
                    {
                        Check(value, valueType, Join(path, key), errors);
                    }
                }

                return;
            case Shape.List:
                if (Expect(kind is JsonValueKind.Array, "a list", kind, path, errors))
                {
                    var itemType = ItemType(type);
                    var i = 0;
                    foreach (var item in node.AsArray())
                    {
                        Check(item, itemType, $"{PathOrRoot(path)}[{i++}]", errors);
                    }
                }

                return;
            default:
                if (Expect(kind is JsonValueKind.Object, "an object", kind, path, errors))
                {
                    var properties = Properties(type);
                    foreach (var (key, value) in node.AsObject())
                    {
                        if (properties.TryGetValue(key, out var propertyType))
                        {
                            Check(value, propertyType, Join(path, key), errors);
                        }
                        else
                        {
                            errors.Add(new FieldError(Join(path, key), $"unknown field \"{key}\""));
                        }
                    }
                }

                return;
        }
    }

    private static bool Expect(bool ok, string expected, JsonValueKind actual, string path, List<FieldError> errors)
    {
        if (!ok)
        {
            var hint = expected == "a string" && actual is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
                ? " (quote the value in YAML)"
                : "";
            errors.Add(new FieldError(PathOrRoot(path), $"expected {expected}, got {Describe(actual)}{hint}"));
        }

        return ok;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private enum Shape { Any, String, Integer, Number, Boolean, StringOrNumber, Quantity, Timestamp, Map, List, Object }

    private static Shape Classify(Type type)
    {
        if (type == typeof(object) || type == typeof(JsonNode) || type == typeof(JsonElement))
        {
            return Shape.Any;
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return Shape.Timestamp;
        }

        if (type == typeof(ResourceQuantity))
        {
            return Shape.Quantity;
        }

        if (type == typeof(string) || type == typeof(byte[]))
        {
            return Shape.String;
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(uint) || type == typeof(ulong))
        {
            return Shape.Integer;
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return Shape.Number;
        }

        if (type == typeof(bool))
        {
            return Shape.Boolean;
        }

        if (type == typeof(IntOrString))
        {
            return Shape.StringOrNumber;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() is var g
            && (g == typeof(IDictionary<,>) || g == typeof(Dictionary<,>) || g == typeof(IReadOnlyDictionary<,>)))
        {
            return Shape.Map;
        }

        return typeof(IEnumerable).IsAssignableFrom(type) ? Shape.List : Shape.Object;
    }

    private static bool IsQuantity(string text)
    {
        try
        {
            _ = new ResourceQuantity(text).ToDecimal();
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
        {
            return false;
        }
    }

    private static Type ItemType(Type type) =>
        type.IsArray ? type.GetElementType()! : type.GetGenericArguments().FirstOrDefault() ?? typeof(object);

    private static IReadOnlyDictionary<string, Type> Properties(Type type) => PropertyCache.GetOrAdd(type, static t =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null && p.CanWrite)
            .ToDictionary(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name),
                p => p.PropertyType, StringComparer.Ordinal));

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string PathOrRoot(string path) => path.Length == 0 ? "(document)" : path;
}
