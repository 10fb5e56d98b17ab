using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kaito.Api.V1Alpha1;
using Kaito.CrdBridge.Watching;

namespace Kaito.CrdBridge.Objects;

/// <summary>
/// Adds or removes <c>workspace.finalizer.kaito.sh</c> on a Workspace object. A merge patch that carries the
/// resourceVersion it read, so that a concurrent change to the list (another controller's finalizer) is a 409 and a
/// fresh read, never a lost write. Adding starts from the <see cref="WorkspaceObjectCache"/>'s copy when it has one, so
/// a finalizer already in place costs no request; removing always reads, so a stale copy can never leave it behind.
/// </summary>
internal sealed class WorkspaceFinalizer(IKubernetes client, WorkspaceObjectCache? objects = null)
{
    public const string Name = "workspace.finalizer.kaito.sh";
    private const int Attempts = 5;

    /// <returns>False when the object does not exist, or is being deleted without the finalizer (none can be added then).</returns>
    public Task<bool> EnsureAsync(string ns, string name, CancellationToken cancellationToken) =>
        ChangeAsync(ns, name, (finalizers, deleting) =>
            finalizers.Contains(Name) || deleting ? null : [.. finalizers, Name], useCache: true, cancellationToken);

    /// <returns>False when the object does not exist (nothing to remove).</returns>
    public Task<bool> RemoveAsync(string ns, string name, CancellationToken cancellationToken) =>
        ChangeAsync(ns, name, (finalizers, _) =>
            finalizers.Contains(Name) ? [.. finalizers.Where(f => f != Name)] : null, useCache: false, cancellationToken);

    /// <param name="change">The new list from the current one and whether the object is being deleted; null for no change.</param>
    private async Task<bool> ChangeAsync(string ns, string name, Func<List<string>, bool, List<string>?> change, bool useCache,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = (useCache && attempt == 1 ? objects?.Find(ns, name) : null) ?? await ReadAsync(ns, name, cancellationToken);
            if (current is null)
            {
                return false;
            }

            var metadata = current["metadata"]!;
            var finalizers = metadata["finalizers"]?.AsArray().Select(f => f!.GetValue<string>()).ToList() ?? [];
            var wanted = change(finalizers, metadata["deletionTimestamp"] is not null);
            if (wanted is null)
            {
                return true;
            }

            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["resourceVersion"] = metadata["resourceVersion"]!.GetValue<string>(),
                    ["finalizers"] = new JsonArray([.. wanted.Select(f => (JsonNode)f)]),
                },
            };
            try
            {
                var patched = await client.CustomObjects.PatchNamespacedCustomObjectAsync(
                    new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
                    Workspace.KubeGroup, Workspace.KubeVersion, ns, Workspace.KubePlural, name, cancellationToken: cancellationToken);
                if (objects is not null && JsonSerializer.SerializeToNode(patched) is JsonObject stored)
                {
                    objects.Offer(stored);
                }

                return true;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict && attempt < Attempts)
            {
                // Someone changed the object since the read: read again.
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }
        }
    }

    private async Task<JsonNode?> ReadAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            var obj = await client.CustomObjects.GetNamespacedCustomObjectAsync(
                Workspace.KubeGroup, Workspace.KubeVersion, ns, Workspace.KubePlural, name, cancellationToken);
            return JsonSerializer.SerializeToNode(obj);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
