using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kaito.CrdBridge.Provisioning;

namespace Kaito.CrdBridge.Tests.Provisioning;

/// <summary>
/// Minimal Karpenter CRDs for tests (nodeclaims.karpenter.sh v1, machines.karpenter.sh v1alpha5): cluster-scoped,
/// status subresource, any content. Karpenter itself is not needed to store and read them.
/// </summary>
internal static class KarpenterCrds
{
    public static KarpenterResource[] All { get; } = [KarpenterResource.NodeClaim, KarpenterResource.Machine];

    public static V1CustomResourceDefinition Definition(KarpenterResource resource) => new()
    {
        ApiVersion = "apiextensions.k8s.io/v1",
        Kind = "CustomResourceDefinition",
        Metadata = new V1ObjectMeta { Name = resource.CrdName },
        Spec = new V1CustomResourceDefinitionSpec
        {
            Group = resource.Group,
            Scope = "Cluster",
            Names = new V1CustomResourceDefinitionNames
            {
                Plural = resource.Plural, Singular = resource.Kind.ToLowerInvariant(), Kind = resource.Kind, ListKind = resource.Kind + "List",
            },
            Versions =
            [
                new V1CustomResourceDefinitionVersion
                {
                    Name = resource.Version,
                    Served = true,
                    Storage = true,
                    Subresources = new V1CustomResourceSubresources { Status = new object() },
                    Schema = new V1CustomResourceValidation
                    {
                        OpenAPIV3Schema = new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true },
                    },
                },
            ],
        },
    };

    public static async Task InstallAsync(IKubernetes client)
    {
        foreach (var resource in All)
        {
            try
            {
                await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(Definition(resource));
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
            {
            }

            await Eventually.True(async () => await ServedAsync(client, resource), $"{resource.CrdName} served");
        }
    }

    public static async Task RemoveAsync(IKubernetes client)
    {
        foreach (var resource in All)
        {
            try
            {
                await client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync(resource.CrdName);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
            }

            await Eventually.True(async () => !await ServedAsync(client, resource), $"{resource.CrdName} gone");
        }
    }

    private static async Task<bool> ServedAsync(IKubernetes client, KarpenterResource resource)
    {
        try
        {
            await client.CustomObjects.ListClusterCustomObjectAsync(resource.Group, resource.Version, resource.Plural);
            return true;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
