using System.Globalization;
using System.Text.Json.Nodes;
using Kaito.Api.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kaito.Api.Serialization;

/// <summary>
/// Turns YAML (one or more documents) into JSON trees typed the way kubectl types them (sigs.k8s.io/yaml, a YAML 1.1
/// reader): an unquoted <c>1</c> is a number, a quoted <c>"1"</c> a string, an unquoted <c>yes</c>, <c>on</c> or
/// <c>n</c> a boolean, <c>010</c> the octal 8. Keeping types honest, and the same as kubectl's, is what lets a schema
/// check say "expected a string" about a manifest exactly when <c>kubectl apply</c> would send a non-string.
/// </summary>
public static class YamlDocumentReader
{
    public static IReadOnlyList<JsonNode?> Read(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            YamlShapeGuard.Check(yaml);
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new WorkspaceFormatException([new FieldError($"line {ex.Start.Line}", ex.InnerException?.Message ?? ex.Message)]);
        }

        return stream.Documents.Select(d => Convert(d.RootNode, "", 0)).Where(n => n is not null).ToList();
    }

    // Aliases can nest an anchored subtree below its own depth, so the depth is checked again on the expanded tree.
    private static JsonNode? Convert(YamlNode node, string path, int depth) => depth > YamlReaderLimits.MaxDepth
        ? throw new WorkspaceFormatException([new FieldError(PathOrRoot(path), $"refused: nesting deeper than {YamlReaderLimits.MaxDepth} levels once aliases are expanded")])
        : node switch
    {
        YamlMappingNode map => ConvertMapping(map, path, depth),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select((c, i) => Convert(c, $"{path}[{i}]", depth + 1)).ToArray()),
        YamlScalarNode scalar => ConvertScalar(scalar),
        _ => throw new WorkspaceFormatException([new FieldError(PathOrRoot(path), $"unsupported YAML node (line {node.Start.Line})")]),
    };

    private static JsonObject ConvertMapping(YamlMappingNode map, string path, int depth)
    {
        var obj = new JsonObject();
        foreach (var (keyNode, valueNode) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: not null } keyScalar)
            {
                throw new WorkspaceFormatException([new FieldError(PathOrRoot(path), $"mapping keys must be strings (line {keyNode.Start.Line})")]);
            }

            var key = KeyText(keyScalar);

            var childPath = path.Length == 0 ? key : $"{path}.{key}";
            if (obj.ContainsKey(key))
            {
                throw new WorkspaceFormatException([new FieldError(childPath, $"duplicate key (line {keyNode.Start.Line})")]);
            }

            obj[key] = Convert(valueNode, childPath, depth + 1);
        }

        return obj;
    }

    private static JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag is "tag:yaml.org,2002:str" || scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted
            or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(value);
        }

        return Yaml11Scalar.Resolve(value) switch
        {
            null => null,
            bool b => JsonValue.Create(b),
            long l => JsonValue.Create(l),
            double d => JsonValue.Create(d),
            _ => JsonValue.Create(value),
        };
    }

    // kubectl turns a non-string key into its text: an unquoted `on:` key is the key "true".
    private static string KeyText(YamlScalarNode key)
    {
        var value = key.Value!;
        if (key.Style is not ScalarStyle.Plain || !key.Tag.IsEmpty)
        {
            return value;
        }

        return Yaml11Scalar.Resolve(value) switch
        {
            bool b => b ? "true" : "false",
            long l => l.ToString(CultureInfo.InvariantCulture),
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            _ => value,
        };
    }

    private static string PathOrRoot(string path) => path.Length == 0 ? "(document)" : path;
}
