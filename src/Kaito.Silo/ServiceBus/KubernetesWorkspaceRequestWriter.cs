using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kaito.Silo.ServiceBus;

/// <summary>Writes Workspaces to the API server with server-side apply (field manager <c>kaito-servicebus</c>).</summary>
public sealed class KubernetesWorkspaceRequestWriter(IKubernetes kubernetes) : IWorkspaceRequestWriter
{
    public const string FieldManager = "kaito-servicebus";

    private const string Group = "kaito.sh";
    private const string Version = "v1alpha1";
    private const string Plural = "workspaces";

    public async Task<JsonObject?> GetAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            var found = await kubernetes.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, ns, Plural, name, cancellationToken: cancellationToken);
            return JsonSerializer.SerializeToNode(found) as JsonObject;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task ApplyAsync(JsonObject workspace, CancellationToken cancellationToken)
    {
        var ns = workspace["metadata"]!["namespace"]!.GetValue<string>();
        var name = workspace["metadata"]!["name"]!.GetValue<string>();
        return kubernetes.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(workspace.ToJsonString(), V1Patch.PatchType.ApplyPatch), Group, Version, ns, Plural, name,
            fieldManager: FieldManager, force: true, cancellationToken: cancellationToken);
    }

    public async Task<bool> DeleteAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            await kubernetes.CustomObjects.DeleteNamespacedCustomObjectAsync(Group, Version, ns, Plural, name, cancellationToken: cancellationToken);
            return true;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
