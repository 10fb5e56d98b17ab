using System.Text.Json.Nodes;
using Kaito.Api.Serialization;
using Kaito.Api.Validation;
using Kaito.Grains.Workspaces;

namespace Kaito.Silo.ServiceBus;

/// <summary>
/// Carries out a request the way <c>kubectl apply</c> would, after the checks <c>kaito validate</c> makes (create
/// rules, or update rules against the stored Workspace). The Workspace is annotated with the request id and sender,
/// which the grain records as the actor. Throws <see cref="InvalidWorkspaceRequestException"/> when it can never succeed.
/// </summary>
public sealed class WorkspaceRequestHandler(IWorkspaceRequestWriter writer, WorkspaceValidator validator)
{
    public async Task<WorkspaceRequestOutcome> HandleAsync(WorkspaceRequest request, CancellationToken cancellationToken)
    {
        var stored = await writer.GetAsync(request.Namespace, request.Name, cancellationToken);
        if (stored?["metadata"]?["annotations"]?[RequestAnnotations.RequestId]?.GetValue<string>() == request.RequestId)
        {
            return WorkspaceRequestOutcome.NoOp;
        }

        if (request.Operation == WorkspaceRequestOperation.Delete)
        {
            return stored is not null && await writer.DeleteAsync(request.Namespace, request.Name, cancellationToken)
                ? WorkspaceRequestOutcome.Deleted
                : WorkspaceRequestOutcome.NoOp;
        }

        var workspace = request.Workspace!;
        var result = stored is null
            ? validator.ValidateCreate(workspace)
            : validator.ValidateUpdate(WorkspaceSerializer.ReadNode(Clean(stored)).Workspace ?? workspace, workspace);
        if (result.Errors.Count > 0)
        {
            throw new InvalidWorkspaceRequestException("InvalidWorkspace", string.Join("; ", result.Errors));
        }

        var document = (JsonObject)WorkspaceSerializer.ToJsonNode(workspace);
        var metadata = (JsonObject)document["metadata"]!;
        foreach (var server in new[] { "resourceVersion", "uid", "generation", "creationTimestamp", "managedFields", "deletionTimestamp" })
        {
            metadata.Remove(server);
        }

        document.Remove("status");
        var annotations = metadata["annotations"] as JsonObject ?? [];
        annotations[RequestAnnotations.RequestId] = request.RequestId;
        annotations[RequestAnnotations.RequestedBy] = request.Sender;
        metadata["annotations"] = annotations;
        await writer.ApplyAsync(document, cancellationToken);
        return WorkspaceRequestOutcome.Applied;
    }

    // The stored object carries server fields and status; the update rules look at the user's fields only.
    private static JsonObject Clean(JsonObject stored)
    {
        var copy = (JsonObject)stored.DeepClone();
        copy.Remove("status");
        if (copy["metadata"] is JsonObject metadata)
        {
            metadata.Remove("managedFields");
        }

        return copy;
    }
}
