using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.ResourceManager;
using Kaito.Grains.Ports;

namespace Kaito.CrdBridge.Provisioning.Aks;

/// <summary>
/// The REST calls of the agent-pool provisioner, raw through Azure.Core's pipeline (bearer token, retries of 429 and
/// 5xx honouring Retry-After, logging): agentPools PUT/GET/DELETE/list and their operations (api-version 2024-01-01),
/// and the Microsoft.Compute SKUs and usages of the region. Azure.ResourceManager.ContainerService is not used.
/// </summary>
public sealed class AgentPoolArmClient
{
    private const string ComputeSkusApiVersion = "2021-07-01";
    private const string ComputeUsagesApiVersion = "2023-09-01";

    private readonly HttpPipeline _pipeline;
    private readonly AgentPoolOptions _options;

    /// <param name="transport">The HTTP transport; the default (HttpClient) when null. Tests pass a loopback one.</param>
    public AgentPoolArmClient(AgentPoolOptions options, TokenCredential credential, HttpPipelineTransport? transport = null)
    {
        _options = options;
        var client = new ArmClientOptions { Environment = new ArmEnvironment(options.Endpoint, options.Audience) };
        client.Retry.MaxRetries = options.MaxRetries;
        client.Retry.Delay = options.RetryDelay;
        client.Retry.MaxDelay = options.MaxRetryDelay;
        client.Retry.Mode = RetryMode.Exponential;
        if (transport is not null)
        {
            client.Transport = transport;
        }

        _pipeline = HttpPipelineBuilder.Build(client, new BearerTokenAuthenticationPolicy(credential, client.Environment.Value.DefaultScope));
    }

    /// <summary>The pool's ARM resource id.</summary>
    public string PoolId(string pool) =>
        $"/subscriptions/{_options.SubscriptionId}/resourceGroups/{_options.ResourceGroup}/providers/Microsoft.ContainerService/managedClusters/{_options.ClusterName}/agentPools/{pool}";

    /// <summary>The pool, or null when it does not exist.</summary>
    public async Task<JsonObject?> GetPoolAsync(string pool, CancellationToken cancellationToken)
    {
        var (status, body, _) = await SendAsync(RequestMethod.Get, Url(PoolId(pool), AgentPoolOptions.ApiVersion), null, cancellationToken);
        return status == 404 ? null : Ensure(status, body) as JsonObject;
    }

    /// <summary>Every pool of the cluster (following nextLink).</summary>
    public async Task<IReadOnlyList<JsonObject>> ListPoolsAsync(CancellationToken cancellationToken)
    {
        var pools = new List<JsonObject>();
        Uri? next = Url(PoolId("")[..^1], AgentPoolOptions.ApiVersion);
        while (next is not null)
        {
            var (status, body, _) = await SendAsync(RequestMethod.Get, next, null, cancellationToken);
            var page = Ensure(status, body);
            pools.AddRange((page?["value"] as JsonArray ?? []).OfType<JsonObject>());
            next = page?["nextLink"]?.GetValue<string>() is { Length: > 0 } link ? new Uri(link) : null;
        }

        return pools;
    }

    public async Task<ArmOperationStart> PutPoolAsync(string pool, JsonObject body, CancellationToken cancellationToken)
    {
        var (status, response, headers) = await SendAsync(RequestMethod.Put, Url(PoolId(pool), AgentPoolOptions.ApiVersion), body, cancellationToken);
        Ensure(status, response);
        return Start(status, headers);
    }

    /// <summary>Starts deleting the pool; status 204 or 404 means there was nothing to delete.</summary>
    public async Task<ArmOperationStart> DeletePoolAsync(string pool, CancellationToken cancellationToken)
    {
        var (status, response, headers) = await SendAsync(RequestMethod.Delete, Url(PoolId(pool), AgentPoolOptions.ApiVersion), null, cancellationToken);
        if (status != 404)
        {
            Ensure(status, response);
        }

        return Start(status, headers);
    }

    /// <summary>Polls an Azure-AsyncOperation URL (a status document) or, with <paramref name="location"/>, a Location URL (202 while running).</summary>
    public async Task<ArmPoll> PollAsync(Uri uri, bool location, CancellationToken cancellationToken)
    {
        var (status, body, headers) = await SendAsync(RequestMethod.Get, uri, null, cancellationToken);
        var retryAfter = headers.RetryAfter;
        if (location)
        {
            if (status == 202)
            {
                return new ArmPoll(NodeOperationState.InProgress, null, null, retryAfter);
            }

            if (status is 200 or 201 or 204 or 404)
            {
                return new ArmPoll(NodeOperationState.Succeeded, null, null, retryAfter);
            }

            var (code, message) = ArmErrors.Read(body, status);
            return new ArmPoll(NodeOperationState.Failed, code, message, retryAfter);
        }

        Ensure(status, body);
        var state = body?["status"]?.GetValue<string>() switch
        {
            "Succeeded" => NodeOperationState.Succeeded,
            "Failed" => NodeOperationState.Failed,
            "Canceled" or "Cancelled" => NodeOperationState.Canceled,
            _ => NodeOperationState.InProgress,
        };
        if (state is NodeOperationState.Failed or NodeOperationState.Canceled)
        {
            var (code, message) = ArmErrors.Read(body, status);
            return new ArmPoll(state, code, message, retryAfter);
        }

        return new ArmPoll(state, null, null, retryAfter);
    }

    /// <summary>The VM sizes the region offers this subscription.</summary>
    public async Task<IReadOnlyList<ComputeSku>> ListVmSkusAsync(CancellationToken cancellationToken)
    {
        var path = $"/subscriptions/{_options.SubscriptionId}/providers/Microsoft.Compute/skus";
        var filter = Uri.EscapeDataString($"location eq '{_options.Location}'");
        var (status, body, _) = await SendAsync(RequestMethod.Get, new Uri(Url(path, ComputeSkusApiVersion) + "&$filter=" + filter), null, cancellationToken);
        var skus = new List<ComputeSku>();
        foreach (var sku in (Ensure(status, body)?["value"] as JsonArray ?? []).OfType<JsonObject>()
                     .Where(s => s["resourceType"]?.GetValue<string>() == "virtualMachines"))
        {
            var vcpus = (sku["capabilities"] as JsonArray ?? []).OfType<JsonObject>()
                .FirstOrDefault(c => c["name"]?.GetValue<string>() == "vCPUs")?["value"]?.GetValue<string>();
            var restriction = (sku["restrictions"] as JsonArray ?? []).OfType<JsonObject>()
                .FirstOrDefault(r => r["type"]?.GetValue<string>() == "Location")?["reasonCode"]?.GetValue<string>();
            skus.Add(new ComputeSku(sku["name"]?.GetValue<string>() ?? "", sku["family"]?.GetValue<string>() ?? "",
                int.TryParse(vcpus, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0, restriction));
        }

        return skus;
    }

    /// <summary>The region's compute quotas with their usage.</summary>
    public async Task<IReadOnlyList<ComputeUsage>> ListUsagesAsync(CancellationToken cancellationToken)
    {
        var path = $"/subscriptions/{_options.SubscriptionId}/providers/Microsoft.Compute/locations/{_options.Location}/usages";
        var (status, body, _) = await SendAsync(RequestMethod.Get, Url(path, ComputeUsagesApiVersion), null, cancellationToken);
        return [.. (Ensure(status, body)?["value"] as JsonArray ?? []).OfType<JsonObject>().Select(u => new ComputeUsage(
            u["name"]?["value"]?.GetValue<string>() ?? "",
            u["name"]?["localizedValue"]?.GetValue<string>() ?? "",
            u["currentValue"]?.GetValue<long>() ?? 0,
            u["limit"]?.GetValue<long>() ?? 0))];
    }

    private Uri Url(string path, string apiVersion) => new(_options.Endpoint, path.TrimStart('/') + "?api-version=" + apiVersion);

    private static ArmOperationStart Start(int status, ResponseHeadersView headers) =>
        new(status, headers.Uri("Azure-AsyncOperation"), headers.Uri("Location"), headers.RetryAfter);

    private static JsonNode? Ensure(int status, JsonNode? body)
    {
        if (status is >= 200 and < 300)
        {
            return body;
        }

        var (code, message) = ArmErrors.Read(body, status);
        throw new ArmRequestException(status, code, message);
    }

    private async Task<(int Status, JsonNode? Body, ResponseHeadersView Headers)> SendAsync(RequestMethod method, Uri uri, JsonObject? body, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(uri);
        message.Request.Headers.Add("Accept", "application/json");
        if (body is not null)
        {
            message.Request.Headers.Add("Content-Type", "application/json");
            message.Request.Content = RequestContent.Create(BinaryData.FromString(body.ToJsonString()));
        }

        await _pipeline.SendAsync(message, cancellationToken);
        var response = message.Response;
        JsonNode? document = null;
        if (response.Content.ToMemory().Length > 0)
        {
            try
            {
                document = JsonNode.Parse(response.Content.ToString());
            }
            catch (System.Text.Json.JsonException)
            {
                // Not JSON (a proxy's error page): the status alone speaks.
            }
        }

        return (response.Status, document, new ResponseHeadersView(response));
    }

    private sealed class ResponseHeadersView(Azure.Response response)
    {
        public Uri? Uri(string name) =>
            response.Headers.TryGetValue(name, out var value) && System.Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : null;

        public TimeSpan? RetryAfter =>
            !response.Headers.TryGetValue("Retry-After", out var value) ? null
            : int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(Math.Max(0, seconds))
            : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at - DateTimeOffset.UtcNow
            : null;
    }
}
