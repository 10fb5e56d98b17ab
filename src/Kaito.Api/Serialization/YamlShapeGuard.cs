using Kaito.Api.Validation;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Kaito.Api.Serialization;

/// <summary>
/// Checks a YAML text against <see cref="YamlReaderLimits"/> with the streaming parser, before any tree is built:
/// size, nesting depth, and the node count with every alias expanded (an anchor's size is counted once per use).
/// </summary>
internal static class YamlShapeGuard
{
    public static void Check(string yaml)
    {
        if (yaml.Length > YamlReaderLimits.MaxChars)
        {
            throw Refused($"the document is {yaml.Length} characters; the limit is {YamlReaderLimits.MaxChars}");
        }

        var parser = new Parser(new StringReader(yaml));
        var anchors = new Dictionary<string, long>(StringComparer.Ordinal);
        var open = new Stack<(string? Anchor, long Nodes)>();
        long total = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case MappingStart or SequenceStart:
                    var node = (NodeEvent)parser.Current;
                    open.Push((node.Anchor.IsEmpty ? null : node.Anchor.Value, 1));
                    if (open.Count > YamlReaderLimits.MaxDepth)
                    {
                        throw Refused($"nesting deeper than {YamlReaderLimits.MaxDepth} levels (line {node.Start.Line})");
                    }

                    break;
                case MappingEnd or SequenceEnd:
                    var (anchor, nodes) = open.Pop();
                    Record(anchor, nodes);
                    break;
                case Scalar scalar:
                    Record(scalar.Anchor.IsEmpty ? null : scalar.Anchor.Value, 1);
                    break;
                case AnchorAlias alias:
                    Record(null, anchors.GetValueOrDefault(alias.Value.Value, 1));
                    break;
            }
        }

        void Record(string? anchor, long nodes)
        {
            if (anchor is not null)
            {
                anchors[anchor] = nodes;
            }

            if (open.Count > 0)
            {
                var (parentAnchor, parentNodes) = open.Pop();
                open.Push((parentAnchor, parentNodes + nodes));
            }
            else
            {
                total += nodes;
            }

            if (total + open.Sum(o => o.Nodes) > YamlReaderLimits.MaxNodes)
            {
                throw Refused($"more than {YamlReaderLimits.MaxNodes} nodes once aliases are expanded (an alias bomb?)");
            }
        }
    }

    private static WorkspaceFormatException Refused(string why) => new([new FieldError("(document)", $"refused: {why}")]);
}
