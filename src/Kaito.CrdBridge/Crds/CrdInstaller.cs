using System.Net;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kaito.Api.Crd;

namespace Kaito.CrdBridge.Crds;

/// <summary>
/// Installs or upgrades the Workspace CRD on a cluster and waits until the API server serves it (Established).
/// The silo does this at start so that a fresh cluster needs no manual step. The CRD carries a hash of the spec it was
/// written from (<see cref="SpecHashAnnotation"/>): a restart with the same CRD writes nothing.
/// </summary>
public sealed class CrdInstaller(IKubernetes client, TimeProvider clock)
{
    public const string SpecHashAnnotation = "kaito.sh/crd-spec-hash";

    public async Task<V1CustomResourceDefinition> InstallAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var desired = WorkspaceCrd.Build();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(KubernetesJson.Serialize(desired.Spec))));
        desired.Metadata.Annotations = new Dictionary<string, string>(desired.Metadata.Annotations ?? new Dictionary<string, string>())
        {
            [SpecHashAnnotation] = hash,
        };
        V1CustomResourceDefinition applied;
        try
        {
            var existing = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(desired.Metadata.Name, cancellationToken: cancellationToken);
            if (existing.Metadata.Annotations?.TryGetValue(SpecHashAnnotation, out var stored) == true && stored == hash)
            {
                applied = existing;
            }
            else
            {
                desired.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
                applied = await client.ApiextensionsV1.ReplaceCustomResourceDefinitionAsync(desired, desired.Metadata.Name, cancellationToken: cancellationToken);
            }
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            applied = await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(desired, cancellationToken: cancellationToken);
        }

        var deadline = clock.GetUtcNow() + timeout;
        while (!IsEstablished(applied))
        {
            if (clock.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"CRD {desired.Metadata.Name} was not Established within {timeout.TotalSeconds:0} s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), clock, cancellationToken);
            applied = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(desired.Metadata.Name, cancellationToken: cancellationToken);
        }

        return applied;
    }

    private static bool IsEstablished(V1CustomResourceDefinition crd) =>
        crd.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true;
}
