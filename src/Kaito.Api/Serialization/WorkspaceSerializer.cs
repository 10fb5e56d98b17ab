using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using Kaito.Api.V1Alpha1;
using Kaito.Api.Validation;

namespace Kaito.Api.Serialization;

/// <summary>Reads and writes Workspaces as YAML or JSON with upstream's field names; both directions are lossless.</summary>
public static class WorkspaceSerializer
{
    /// <summary>Reads every document of a YAML or JSON text (JSON is read as YAML, which it is).</summary>
    public static IReadOnlyList<WorkspaceDocument> ReadAll(string text)
    {
        IReadOnlyList<JsonNode?> nodes;
        try
        {
            nodes = YamlDocumentReader.Read(text);
        }
        catch (WorkspaceFormatException ex)
        {
            return [new WorkspaceDocument(0, null, ex.Errors)];
        }

        if (nodes.Count == 0)
        {
            return [new WorkspaceDocument(0, null, [new FieldError("(document)", "the file holds no document")])];
        }

        return nodes.Select((n, i) => ReadNode(n, i)).ToList();
    }

    /// <summary>Reads exactly one Workspace, or throws <see cref="WorkspaceFormatException"/> with every problem.</summary>
    public static Workspace Read(string text)
    {
        var docs = ReadAll(text);
        if (docs.Count != 1)
        {
            throw new WorkspaceFormatException([new FieldError("(document)", $"expected one document, found {docs.Count}")]);
        }

        return docs[0].Workspace ?? throw new WorkspaceFormatException(docs[0].Errors);
    }

    public static WorkspaceDocument ReadNode(JsonNode? node, int index = 0)
    {
        if (node is not JsonObject obj)
        {
            return new WorkspaceDocument(index, null, [new FieldError("(document)", "expected a Workspace object")]);
        }

        var errors = new List<FieldError>();
        var apiVersion = (obj["apiVersion"] as JsonValue)?.ToString();
        var kind = (obj["kind"] as JsonValue)?.ToString();
        if (apiVersion != Workspace.KubeApiVersion)
        {
            errors.Add(new FieldError("apiVersion", $"expected \"{Workspace.KubeApiVersion}\", got \"{apiVersion}\""));
        }

        if (kind != Workspace.KubeKind)
        {
            errors.Add(new FieldError("kind", $"expected \"{Workspace.KubeKind}\", got \"{kind}\""));
        }

        errors.AddRange(JsonShapeChecker.Check(obj, typeof(Workspace)));
        if (errors.Count > 0)
        {
            return new WorkspaceDocument(index, null, errors);
        }

        try
        {
            return new WorkspaceDocument(index, KubernetesJson.Deserialize<Workspace>(obj.ToJsonString()), []);
        }
        catch (JsonException ex)
        {
            // The shape check covers types and names; what is left is a value the type rejects (a bad quantity or date).
            var field = ex.Path is { Length: > 2 } p ? p[2..] : "(document)";
            return new WorkspaceDocument(index, null, [new FieldError(field, $"invalid value: {ex.InnerException?.Message ?? ex.Message}")]);
        }
        catch (FormatException ex)
        {
            return new WorkspaceDocument(index, null, [new FieldError("(document)", $"invalid value: {ex.Message}")]);
        }
    }

    public static string ToJson(Workspace workspace) => KubernetesJson.Serialize(workspace);

    public static JsonNode ToJsonNode(Workspace workspace) => JsonNode.Parse(ToJson(workspace))!;

    public static string ToYaml(Workspace workspace) => YamlDocumentWriter.Write(ToJsonNode(workspace));
}
