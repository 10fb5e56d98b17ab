using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kaito.CrdBridge.Tests.Provisioning;

/// <summary>Node objects as a kubelet would register them: there is no kubelet, so the test writes the status.</summary>
internal static class TestNodes
{
    public static async Task<V1Node> CreateAsync(IKubernetes client, string name, IDictionary<string, string> labels, int gpus, bool ready = true)
    {
        await client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = name, Labels = labels } });
        var resources = new JsonObject { ["cpu"] = "8", ["memory"] = "64Gi", ["pods"] = "110" };
        if (gpus > 0)
        {
            resources["nvidia.com/gpu"] = gpus.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var status = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["capacity"] = resources,
                ["allocatable"] = resources.DeepClone(),
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready", ["status"] = ready ? "True" : "False", ["reason"] = ready ? "KubeletReady" : "KubeletNotReady",
                    ["message"] = "set by the test", ["lastHeartbeatTime"] = now, ["lastTransitionTime"] = now,
                }),
            },
        };
        return await client.CoreV1.PatchNodeStatusAsync(new V1Patch(status.ToJsonString(), V1Patch.PatchType.MergePatch), name);
    }

    public static async Task DeleteAsync(IKubernetes client, string name)
    {
        using var nodes = new GenericClient(client, "", "v1", "nodes", disposeClient: false);
        try
        {
            await nodes.DeleteAsync<V1Status>(name);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }
}
