using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kaito.Api.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kaito.Api.Serialization;

/// <summary>
/// Turns YAML (one or more documents) into JSON trees with YAML 1.2 core-schema typing: an unquoted <c>1</c> is a
/// number, a quoted <c>"1"</c> a string. Keeping types honest is what lets a schema check say "expected a string".
/// </summary>
public static partial class YamlDocumentReader
{
    public static IReadOnlyList<JsonNode?> Read(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new WorkspaceFormatException([new FieldError($"line {ex.Start.Line}", ex.InnerException?.Message ?? ex.Message)]);
        }

        return stream.Documents.Select(d => Convert(d.RootNode, "")).Where(n => n is not null).ToList();
    }

    private static JsonNode? Convert(YamlNode node, string path) => node switch
    {
        YamlMappingNode map => ConvertMapping(map, path),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select((c, i) => Convert(c, $"{path}[{i}]")).ToArray()),
        YamlScalarNode scalar => ConvertScalar(scalar),
        _ => throw new WorkspaceFormatException([new FieldError(PathOrRoot(path), $"unsupported YAML node (line {node.Start.Line})")]),
    };

    private static JsonObject ConvertMapping(YamlMappingNode map, string path)
    {
        var obj = new JsonObject();
        foreach (var (keyNode, valueNode) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                throw new WorkspaceFormatException([new FieldError(PathOrRoot(path), $"mapping keys must be strings (line {keyNode.Start.Line})")]);
            }

            var childPath = path.Length == 0 ? key : $"{path}.{key}";
            if (obj.ContainsKey(key))
            {
                throw new WorkspaceFormatException([new FieldError(childPath, $"duplicate key (line {keyNode.Start.Line})")]);
            }

            obj[key] = Convert(valueNode, childPath);
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

        if (value is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (value is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }

        if (value is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }

        if (IntegerPattern().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return JsonValue.Create(l);
        }

        if (FloatPattern().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return JsonValue.Create(d);
        }

        return JsonValue.Create(value);
    }

    // YAML 1.2 core schema: https://yaml.org/spec/1.2.2/#1032-tag-resolution
    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    private static string PathOrRoot(string path) => path.Length == 0 ? "(document)" : path;
}
