using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kaito.NodeSimulator.Claims;

namespace Kaito.NodeSimulator.Tests;

/// <summary>Creates NodeClaims/Machines shaped like the ones Kaito writes, reads them back, deletes them all at the end.</summary>
internal sealed class ClaimDriver(IKubernetes client)
{
    private readonly ConcurrentBag<(ClaimKind Kind, string Name)> _created = [];

    public static string NewName() => "ws" + Guid.NewGuid().ToString("N")[..9];

    public async Task CreateAsync(
        string name, string instanceType, IDictionary<string, string>? labels = null, IDictionary<string, string>? annotations = null, ClaimKind? kind = null)
    {
        kind ??= ClaimKind.NodeClaim;
        var body = new
        {
            apiVersion = kind.ApiVersion,
            kind = kind.Kind,
            metadata = new { name, labels = labels ?? new Dictionary<string, string>(), annotations = annotations ?? new Dictionary<string, string>() },
            spec = new
            {
                requirements = new[]
                {
                    new { key = "node.kubernetes.io/instance-type", @operator = "In", values = new[] { instanceType } },
                    new { key = "kaito.sh/machine-type", @operator = "In", values = new[] { "gpu" } },
                    new { key = "kubernetes.io/os", @operator = "In", values = new[] { "linux" } },
                },
                taints = new[] { new { key = "sku", value = "gpu", effect = "NoSchedule" } },
                resources = new { requests = new Dictionary<string, string> { ["storage"] = "100Gi" } },
            },
        };
        await client.CustomObjects.CreateClusterCustomObjectAsync(body, kind.Group, kind.Version, kind.Plural);
        _created.Add((kind, name));
    }

    public async Task<ClaimObject?> ReadAsync(string name, ClaimKind? kind = null)
    {
        kind ??= ClaimKind.NodeClaim;
        try
        {
            var json = (JsonElement)await client.CustomObjects.GetClusterCustomObjectAsync(kind.Group, kind.Version, kind.Plural, name);
            return KubernetesJson.Deserialize<ClaimObject>(json.GetRawText());
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string name, ClaimKind? kind = null)
    {
        kind ??= ClaimKind.NodeClaim;
        try
        {
            await client.CustomObjects.DeleteClusterCustomObjectAsync(kind.Group, kind.Version, kind.Plural, name);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>Deletes every claim the tests created and waits until they are gone (the simulator lets them go).</summary>
    public async Task DeleteAllAsync()
    {
        foreach (var (kind, name) in _created)
        {
            await DeleteAsync(name, kind);
        }

        foreach (var (kind, name) in _created)
        {
            await Eventually.Get(() => ReadAsync(name, kind), c => c is null, $"{kind.Kind} {name} gone");
        }
    }
}
