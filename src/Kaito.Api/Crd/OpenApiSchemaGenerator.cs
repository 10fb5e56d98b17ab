using System.Collections;
using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Kaito.Api.Crd;

/// <summary>
/// Builds a structural OpenAPI v3 schema (what apiextensions.k8s.io/v1 accepts from Kubernetes 1.16 on) from C# types:
/// JSON names from [JsonPropertyName], documentation and constraints from the Schema* attributes.
/// </summary>
public static class OpenApiSchemaGenerator
{
    public static V1JSONSchemaProps For(Type type) => ForType(Nullable.GetUnderlyingType(type) ?? type, []);

    private static V1JSONSchemaProps ForType(Type type, HashSet<Type> visiting)
    {
        if (type == typeof(string))
        {
            return new V1JSONSchemaProps { Type = "string" };
        }

        if (type == typeof(int) || type == typeof(long))
        {
            return new V1JSONSchemaProps { Type = "integer", Format = type == typeof(int) ? "int32" : "int64" };
        }

        if (type == typeof(bool))
        {
            return new V1JSONSchemaProps { Type = "boolean" };
        }

        if (type == typeof(double) || type == typeof(float))
        {
            return new V1JSONSchemaProps { Type = "number" };
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return new V1JSONSchemaProps { Type = "string", Format = "date-time" };
        }

        if (type == typeof(IntOrString) || type == typeof(ResourceQuantity))
        {
            return new V1JSONSchemaProps { XKubernetesIntOrString = true };
        }

        if (type == typeof(V1ObjectMeta))
        {
            return new V1JSONSchemaProps { Type = "object" };
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>))
        {
            return new V1JSONSchemaProps { Type = "object", AdditionalProperties = ForType(Unwrap(type.GetGenericArguments()[1]), visiting) };
        }

        if (typeof(IEnumerable).IsAssignableFrom(type))
        {
            return new V1JSONSchemaProps { Type = "array", Items = ForType(Unwrap(type.GetGenericArguments()[0]), visiting) };
        }

        return ForObject(type, visiting);
    }

    private static V1JSONSchemaProps ForObject(Type type, HashSet<Type> visiting)
    {
        if (!visiting.Add(type))
        {
            throw new InvalidOperationException($"{type.Name} is recursive; a structural schema cannot express it");
        }

        var schema = new V1JSONSchemaProps
        {
            Type = "object",
            Description = type.GetCustomAttribute<SchemaDescriptionAttribute>()?.Text,
            Properties = new Dictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal),
        };
        var required = new List<string>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<JsonIgnoreAttribute>() is not null || !property.CanWrite)
            {
                continue;
            }

            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? property.Name;
            var propertySchema = property.GetCustomAttribute<SchemaPreserveUnknownFieldsAttribute>() is not null
                ? new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true }
                : ForType(Unwrap(property.PropertyType), visiting);
            Decorate(propertySchema, property);
            schema.Properties[name] = propertySchema;
            if (property.GetCustomAttribute<SchemaRequiredAttribute>() is not null)
            {
                required.Add(name);
            }
        }

        schema.Required = required.Count > 0 ? required : null;
        visiting.Remove(type);
        return schema;
    }

    private static void Decorate(V1JSONSchemaProps schema, PropertyInfo property)
    {
        schema.Description = property.GetCustomAttribute<SchemaDescriptionAttribute>()?.Text ?? schema.Description;
        if (property.GetCustomAttribute<SchemaEnumAttribute>() is { } values)
        {
            schema.EnumProperty = values.Values.Cast<object>().ToList();
        }

        if (property.GetCustomAttribute<SchemaMinimumAttribute>() is { } minimum)
        {
            schema.Minimum = minimum.Minimum;
        }

        if (property.GetCustomAttribute<SchemaMaxItemsAttribute>() is { } maxItems)
        {
            schema.MaxItems = maxItems.MaxItems;
        }
    }

    private static Type Unwrap(Type type) => Nullable.GetUnderlyingType(type) ?? type;
}
