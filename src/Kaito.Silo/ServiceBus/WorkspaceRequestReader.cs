using System.Text;
using System.Text.Json;
using Kaito.Api.Serialization;
using Kaito.Api.V1Alpha1;

namespace Kaito.Silo.ServiceBus;

/// <summary>
/// Reads a request message. The application property <c>kaito-operation</c> is <c>apply</c> (the default; the body is
/// a Workspace as YAML or JSON, read by the same reader and limits as <c>kaito validate</c>) or <c>delete</c> (the
/// body is <c>{"namespace": "...", "name": "..."}</c>). Anything else throws <see cref="InvalidWorkspaceRequestException"/>.
/// </summary>
public static class WorkspaceRequestReader
{
    public const string OperationProperty = "kaito-operation";
    public const string SenderProperty = "kaito-requested-by";

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    public static WorkspaceRequest Read(ReadOnlyMemory<byte> body, IReadOnlyDictionary<string, object> properties, string messageId, int maxBodyBytes)
    {
        var sender = properties.TryGetValue(SenderProperty, out var s) && s is string { Length: > 0 } text ? text : "unknown";
        if (body.Length > maxBodyBytes)
        {
            throw new InvalidWorkspaceRequestException("BodyTooLarge", $"the body is {body.Length} bytes; the limit is {maxBodyBytes}");
        }

        string content;
        try
        {
            content = StrictUtf8.GetString(body.Span);
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidWorkspaceRequestException("BodyNotText", "the body is not UTF-8 text (expected a Workspace as YAML or JSON)");
        }

        var operation = properties.TryGetValue(OperationProperty, out var o) ? o as string : "apply";
        return operation?.ToLowerInvariant() switch
        {
            "apply" => Apply(content, messageId, sender),
            "delete" => Delete(content, messageId, sender),
            _ => throw new InvalidWorkspaceRequestException("UnknownOperation", $"{OperationProperty} is \"{operation}\"; expected apply or delete"),
        };
    }

    private static WorkspaceRequest Apply(string content, string messageId, string sender)
    {
        Workspace workspace;
        try
        {
            workspace = WorkspaceSerializer.Read(content);
        }
        catch (WorkspaceFormatException ex)
        {
            throw new InvalidWorkspaceRequestException("InvalidWorkspace", string.Join("; ", ex.Errors));
        }

        var ns = workspace.Metadata.NamespaceProperty ?? "default";
        workspace.Metadata.NamespaceProperty = ns;
        return new WorkspaceRequest(WorkspaceRequestOperation.Apply, ns, workspace.Metadata.Name ?? "", workspace, messageId, sender);
    }

    private static WorkspaceRequest Delete(string content, string messageId, string sender)
    {
        try
        {
            using var doc = JsonDocument.Parse(content, new JsonDocumentOptions { MaxDepth = 8 });
            var root = doc.RootElement;
            var ns = root.TryGetProperty("namespace", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "default";
            if (!root.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || name.GetString() is not { Length: > 0 } value)
            {
                throw new InvalidWorkspaceRequestException("InvalidDelete", "a delete body is {\"namespace\": \"...\", \"name\": \"...\"}; name is missing");
            }

            return new WorkspaceRequest(WorkspaceRequestOperation.Delete, ns, value, null, messageId, sender);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new InvalidWorkspaceRequestException("InvalidDelete", $"a delete body is {{\"namespace\": \"...\", \"name\": \"...\"}}: {ex.Message}");
        }
    }
}
